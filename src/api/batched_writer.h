// Lines from many threads to one file descriptor, with neither a syscall nor a lock shared by two
// threads per line: each thread appends to a buffer of its own (guarded by a mutex that only that
// thread and the writer thread take), and one writer thread swaps the buffers out and writes them
// with one writev(2) (on a pipe: writes of whole lines of at most PIPE_BUF bytes, which stay
// whole beside other writers' lines). A batch goes out at most `max_delay` after its first line,
// at once when a buffer passes `flush_bytes`, on flush() and on destruction (every line appended
// before is written). The writer sleeps while no line comes. A thread that appends never waits
// for the file descriptor: a buffer that holds `max_buffer_bytes` (the output does not keep up)
// drops the lines that follow, counts them, and the writer says so on stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace switchyard::api {

class BatchedWriter {
 public:
  struct Options {
    std::size_t flush_bytes = 64 * 1024;
    std::size_t max_buffer_bytes = 4 * 1024 * 1024;  // per thread
    std::chrono::milliseconds max_delay{100};
    std::string drop_notice;  // names the output in the stderr notice about dropped lines
  };

  // `fd` is not owned (stdout, or a test's pipe).
  BatchedWriter(int fd, Options options);
  ~BatchedWriter();  // writes what is left; no thread may append any more
  BatchedWriter(const BatchedWriter&) = delete;
  BatchedWriter& operator=(const BatchedWriter&) = delete;

  // One or more whole lines (newline included): they are written together, never interleaved
  // with another thread's.
  void append(std::string_view lines);
  // Returns once every line appended before the call is written (or counted as dropped).
  void flush();
  std::uint64_t dropped_lines() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  struct ThreadBuffer;
  ThreadBuffer& buffer_for_this_thread();
  void wake_writer(bool urgent);
  void run();
  void write_batches();
  void write_all(std::vector<std::string*>& batches);

  const int fd_;
  const Options options_;
  const std::uint64_t id_;  // distinguishes writers in the thread-local buffer cache
  const bool pipe_;         // fd_ is a pipe: batches go out in atomic pieces (write_all)
  std::atomic<std::uint64_t> dropped_{0};
  std::uint64_t dropped_reported_ = 0;  // writer thread only

  std::mutex registry_mutex_;  // the list of buffers: taken once per thread, and by the writer
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;

  std::mutex mutex_;  // the writer's wake-up state; taken once per batch, not per line
  std::condition_variable wake_;
  std::condition_variable flushed_;
  bool pending_ = false;  // a buffer has lines
  bool urgent_ = false;   // a buffer passed flush_bytes
  bool stopping_ = false;
  std::uint64_t flush_requests_ = 0;
  std::uint64_t flushes_done_ = 0;
  std::thread writer_;
};

}  // namespace switchyard::api
