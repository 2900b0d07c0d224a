// BatchedWriter: lines from several threads reach the file descriptor whole, in each thread's
// order, by the timer, by size, on flush() and on destruction; a stuck output makes it drop and
// count lines, never block the appending thread.
#include "api/batched_writer.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <optional>
#include <map>
#include <sstream>
#include <thread>

namespace switchyard::api {
namespace {
using namespace std::chrono_literals;

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    close_write();
    if (read_end >= 0) ::close(read_end);
  }
  void close_write() {
    if (write_end >= 0) ::close(write_end);
    write_end = -1;
  }
  // Reads what arrives until `out` holds `bytes` bytes or the deadline passes.
  bool read_until(std::string& out, std::size_t bytes, std::chrono::milliseconds timeout = 10s) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[65536];
    while (out.size() < bytes) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd ready{read_end, POLLIN, 0};
      if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
      const auto n = ::read(read_end, buf, sizeof buf);
      if (n <= 0) return false;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Everything until the write end is closed (by the test).
  std::string read_to_end() const {
    std::string out;
    char buf[65536];
    for (;;) {
      const auto n = ::read(read_end, buf, sizeof buf);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
};

BatchedWriter::Options options(std::size_t flush_bytes, std::chrono::milliseconds max_delay,
                               std::size_t max_buffer_bytes = 4 << 20) {
  BatchedWriter::Options o;
  o.flush_bytes = flush_bytes;
  o.max_delay = max_delay;
  o.max_buffer_bytes = max_buffer_bytes;
  return o;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(BatchedWriter, LinesOfManyThreadsArriveWholeAndInEachThreadsOrder) {
  Pipe pipe;
  auto reader = std::async(std::launch::async, [&pipe] { return pipe.read_to_end(); });
  constexpr int kThreads = 4, kLines = 5000;
  {
    BatchedWriter writer(pipe.write_end, options(4096, 100ms));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < kLines; ++i)
          writer.append("t" + std::to_string(t) + " " + std::to_string(i) + " " + std::string(i % 97, 'x') + "\n");
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(writer.dropped_lines(), 0u);
  }  // destruction writes what is left
  pipe.close_write();
  const auto lines = lines_of(reader.get());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLines));
  std::map<int, int> next;  // per thread: the line number expected next
  for (const auto& line : lines) {
    int t = -1, i = -1;
    char rest[128] = "";
    ASSERT_GE(std::sscanf(line.c_str(), "t%d %d %127s", &t, &i, rest), 2) << line;
    ASSERT_EQ(i, next[t]) << "thread " << t << " out of order: " << line;
    ASSERT_EQ(line, "t" + std::to_string(t) + " " + std::to_string(i) + " " + std::string(i % 97, 'x')) << "torn line";
    ++next[t];
  }
}

// The request log and the gateway's own stderr lines often share one pipe (a supervisor, a
// container runtime, `2>&1 | tee`). A write of more than PIPE_BUF bytes to a pipe is not atomic:
// when the pipe is full the writer waits in the middle, and another writer's line lands there,
// inside a request-log line. Batches go out as writes of whole lines of at most PIPE_BUF bytes.
TEST(BatchedWriter, ABatchOnASharedPipeLetsAnotherWritersLinesInOnlyBetweenLines) {
  Pipe pipe;
  constexpr int kLines = 4000, kOtherLines = 2000;
  std::string out;
  {
    // One batch of ~600 kB (far more than the pipe holds), written while the reader drains slowly.
    BatchedWriter writer(pipe.write_end, options(std::size_t{16} << 20, 10s));
    for (int i = 0; i < kLines; ++i)
      writer.append("log " + std::to_string(i) + " " + std::string(150, 'x') + "\n");
    auto flushed = std::async(std::launch::async, [&writer] { writer.flush(); });
    // The batch is being written and the pipe is full: the writer waits in the middle of it.
    const auto full_by = std::chrono::steady_clock::now() + 10s;
    for (int queued = 0; queued < 60000 && std::chrono::steady_clock::now() < full_by; std::this_thread::yield())
      if (::ioctl(pipe.read_end, FIONREAD, &queued) != 0) break;
    std::atomic<bool> other_done{false};
    std::thread other([&] {  // stderr-like lines, each one write(2) (core::log_line)
      for (int i = 0; i < kOtherLines; ++i) {
        const auto line = "other " + std::to_string(i) + "\n";
        EXPECT_EQ(::write(pipe.write_end, line.data(), line.size()), static_cast<ssize_t>(line.size()));
      }
      other_done = true;
    });
    const std::size_t total_bytes = [&] {
      std::size_t n = 0;
      for (int i = 0; i < kLines; ++i) n += 4 + std::to_string(i).size() + 1 + 150 + 1;
      for (int i = 0; i < kOtherLines; ++i) n += 6 + std::to_string(i).size() + 1;
      return n;
    }();
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    char buf[512];  // small reads: the pipe stays nearly full, both writers keep waiting for room
    while (out.size() < total_bytes && std::chrono::steady_clock::now() < deadline) {
      pollfd ready{pipe.read_end, POLLIN, 0};
      if (::poll(&ready, 1, 100) <= 0) continue;
      const auto n = ::read(pipe.read_end, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    flushed.get();
    other.join();
    ASSERT_TRUE(other_done);
  }
  const auto lines = lines_of(out);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kLines + kOtherLines));
  int next_log = 0, next_other = 0;
  for (const auto& line : lines) {
    if (line.starts_with("other ")) {
      ASSERT_EQ(line, "other " + std::to_string(next_other++)) << "torn line";
    } else {
      ASSERT_EQ(line, "log " + std::to_string(next_log++) + " " + std::string(150, 'x')) << "torn line";
    }
  }
}

TEST(BatchedWriter, ALineGoesOutByTheTimerWithoutAnyMoreActivity) {
  Pipe pipe;
  BatchedWriter writer(pipe.write_end, options(64 << 10, 50ms));
  writer.append("only line\n");
  std::string out;
  ASSERT_TRUE(pipe.read_until(out, 10)) << "never written while the writer lives: " << out;
  EXPECT_EQ(out, "only line\n");
  writer.append("a second batch\n");  // the writer went back to sleep and wakes again
  out.clear();
  ASSERT_TRUE(pipe.read_until(out, 15)) << out;
  EXPECT_EQ(out, "a second batch\n");
}

TEST(BatchedWriter, AFullBufferGoesOutBeforeTheTimer) {
  Pipe pipe;
  BatchedWriter writer(pipe.write_end, options(1000, std::chrono::hours(1)));
  const std::string line(99, 'y');
  for (int i = 0; i < 10; ++i) writer.append(line + "\n");  // 1000 bytes: passes flush_bytes
  std::string out;
  ASSERT_TRUE(pipe.read_until(out, 1000)) << "only the (one hour) timer would have written " << out.size();
  EXPECT_EQ(lines_of(out).size(), 10u);
}

TEST(BatchedWriter, FlushReturnsOnceEveryLineIsWritten) {
  Pipe pipe;
  ASSERT_EQ(::fcntl(pipe.read_end, F_SETFL, O_NONBLOCK), 0);
  BatchedWriter writer(pipe.write_end, options(64 << 10, std::chrono::hours(1)));
  std::thread other([&writer] { writer.append("from another thread\n"); });
  other.join();
  writer.append("from this thread\n");
  writer.flush();
  char buf[256];
  const auto n = ::read(pipe.read_end, buf, sizeof buf);  // no waiting: already in the pipe
  ASSERT_GT(n, 0);
  const std::string out(buf, static_cast<std::size_t>(n));
  EXPECT_NE(out.find("from another thread\n"), std::string::npos) << out;
  EXPECT_NE(out.find("from this thread\n"), std::string::npos) << out;
}

TEST(BatchedWriter, AStuckOutputDropsAndCountsLinesAndNeverBlocksTheAppendingThread) {
  Pipe pipe;
  ::fcntl(pipe.write_end, F_SETPIPE_SZ, 4096);  // nobody reads yet: the writer blocks in write()
  constexpr int kLines = 20000;
  std::optional<BatchedWriter> writer;
  writer.emplace(pipe.write_end, options(1024, 10ms, 16 * 1024));
  auto appending = std::async(std::launch::async, [&writer] {
    for (int i = 0; i < kLines; ++i) writer->append(std::to_string(i) + std::string(90, 'z') + "\n");
  });
  ASSERT_EQ(appending.wait_for(30s), std::future_status::ready) << "append() waited for the stuck output";
  const auto dropped = writer->dropped_lines();
  EXPECT_GT(dropped, 0u);
  // The output unblocks: everything that was not dropped comes out, whole.
  auto reader = std::async(std::launch::async, [&pipe] { return pipe.read_to_end(); });
  writer.reset();
  pipe.close_write();
  const auto lines = lines_of(reader.get());
  EXPECT_EQ(lines.size() + dropped, static_cast<std::size_t>(kLines));
  for (const auto& line : lines) ASSERT_EQ(line.size() - line.find('z'), 90u) << line;
}

TEST(BatchedWriter, AClosedOutputCountsTheLinesItLost) {
  Pipe pipe;
  ::close(pipe.read_end);  // EPIPE on write (SIGPIPE ignored below)
  pipe.read_end = -1;
  const auto previous = ::signal(SIGPIPE, SIG_IGN);
  {
    BatchedWriter writer(pipe.write_end, options(64 << 10, 100ms));
    writer.append("a\nb\n");
    writer.flush();
    EXPECT_EQ(writer.dropped_lines(), 2u);
  }
  ::signal(SIGPIPE, previous);
}

}  // namespace
}  // namespace switchyard::api
