// core::log_line: the process's own lines stay whole when threads write to stdout and stderr at
// once and both go to one pipe (the test harness, a supervisor). The gateway's "listening on"
// line once came out as "... (2 threads, switchyard: redis redis://127.0.0.1:39259/0 connected"
// (writing to std::cerr flushes std::cout, which is tied to it, mid-line): the harness read the
// Redis port as the gateway's and its requests ended without an answer.
#include <gtest/gtest.h>

#include <unistd.h>

#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/log_line.h"

namespace switchyard::core {
namespace {

// Points stdout and stderr at one pipe while alive; output() is what came through it.
class SharedPipe {
 public:
  SharedPipe() {
    std::cout.flush();
    std::cerr.flush();
    saved_out_ = ::dup(STDOUT_FILENO);
    saved_err_ = ::dup(STDERR_FILENO);
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[1]);
    reader_ = std::thread([this, fd = fds[0]] {
      char buf[4096];
      for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) output_.append(buf, static_cast<std::size_t>(n));
      ::close(fd);
    });
  }
  // Restores stdout and stderr and returns what the pipe carried.
  std::string finish() {
    std::cout.flush();
    std::cerr.flush();
    ::dup2(saved_out_, STDOUT_FILENO);
    ::dup2(saved_err_, STDERR_FILENO);
    ::close(saved_out_);
    ::close(saved_err_);
    reader_.join();  // the last write end is gone: the reader sees the end
    return output_;
  }

 private:
  int saved_out_ = -1;
  int saved_err_ = -1;
  std::thread reader_;
  std::string output_;
};

TEST(LogLine, LinesOfTwoThreadsOnStdoutAndStderrStayWhole) {
  constexpr int kLines = 20000;
  const std::string listening = "switchyard listening on http://127.0.0.1:37023 (2 threads, 3 deployments, jemalloc 5.3.0)";
  const std::string connected = "switchyard: redis redis://127.0.0.1:39259/0 connected";
  SharedPipe pipe;
  std::thread out([&] {
    for (int i = 0; i < kLines; ++i) log_line(std::cout, listening);
  });
  std::thread err([&] {
    for (int i = 0; i < kLines; ++i) log_line(std::cerr, connected);
  });
  out.join();
  err.join();
  const auto output = pipe.finish();
  int listening_lines = 0, connected_lines = 0;
  std::vector<std::string> torn;
  for (std::size_t at = 0; at < output.size();) {
    const auto eol = output.find('\n', at);
    ASSERT_NE(eol, std::string::npos) << "a line without its newline at the end";
    const auto line = output.substr(at, eol - at);
    if (line == listening) ++listening_lines;
    else if (line == connected) ++connected_lines;
    else if (torn.size() < 3) torn.push_back(line);
    at = eol + 1;
  }
  EXPECT_EQ(listening_lines, kLines);
  EXPECT_EQ(connected_lines, kLines);
  EXPECT_TRUE(torn.empty()) << "torn lines, the first: '" << torn.front() << "'";
}

}  // namespace
}  // namespace switchyard::core
