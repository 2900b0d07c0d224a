#include "api/batched_writer.h"

#include <limits.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace switchyard::api {
namespace {

constexpr int kMaxIovecs = 64;  // well under IOV_MAX (1024 on Linux)

std::atomic<std::uint64_t> next_writer_id{1};

std::uint64_t count_lines(std::string_view bytes) {
  return static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
}

bool is_pipe(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

// Cuts `bytes` (whole lines) into pieces of whole lines of at most PIPE_BUF bytes each; a single
// longer line is a piece of its own.
void append_pipe_pieces(std::vector<iovec>& iov, std::string_view bytes) {
  while (!bytes.empty()) {
    std::size_t size = 0;
    while (size < bytes.size()) {
      const auto eol = bytes.find('\n', size);
      const auto end = eol == std::string_view::npos ? bytes.size() : eol + 1;
      if (size > 0 && end > PIPE_BUF) break;
      size = end;
    }
    iov.push_back({const_cast<char*>(bytes.data()), size});
    bytes.remove_prefix(size);
  }
}

}  // namespace

struct BatchedWriter::ThreadBuffer {
  std::mutex mutex;  // its thread (append) and the writer (swap); never two appending threads
  std::string lines;
  bool flush_asked = false;  // passed flush_bytes: the writer was told to come now
  std::string batch;         // writer thread only: the lines swapped out, being written
};

BatchedWriter::BatchedWriter(int fd, Options options)
    : fd_(fd), options_(std::move(options)), id_(next_writer_id.fetch_add(1)), pipe_(is_pipe(fd)) {
  writer_ = std::thread([this] { run(); });
}

BatchedWriter::~BatchedWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();  // its last round writes everything appended before
}

BatchedWriter::ThreadBuffer& BatchedWriter::buffer_for_this_thread() {
  // A thread meets few writers (one per process in production): a tiny cache.
  thread_local std::vector<std::pair<std::uint64_t, ThreadBuffer*>> cache;
  for (const auto& [id, buffer] : cache)
    if (id == id_) return *buffer;
  std::lock_guard lock(registry_mutex_);
  buffers_.push_back(std::make_unique<ThreadBuffer>());
  cache.emplace_back(id_, buffers_.back().get());
  return *buffers_.back();
}

void BatchedWriter::append(std::string_view lines) {
  auto& buffer = buffer_for_this_thread();
  bool first = false;   // the buffer was empty: the writer may be asleep
  bool urgent = false;  // the buffer just passed flush_bytes
  {
    std::lock_guard lock(buffer.mutex);
    if (!buffer.lines.empty() && buffer.lines.size() + lines.size() > options_.max_buffer_bytes) {
      dropped_.fetch_add(count_lines(lines), std::memory_order_relaxed);
      return;
    }
    first = buffer.lines.empty();
    buffer.lines.append(lines);
    if (!buffer.flush_asked && buffer.lines.size() >= options_.flush_bytes) buffer.flush_asked = urgent = true;
  }
  // Once per batch (per thread), not per line: later lines find the writer already told.
  if (first || urgent) wake_writer(urgent);
}

void BatchedWriter::wake_writer(bool urgent) {
  {
    std::lock_guard lock(mutex_);
    if (pending_ && (urgent_ || !urgent)) return;
    pending_ = true;
    urgent_ = urgent_ || urgent;
  }
  wake_.notify_one();
}

void BatchedWriter::flush() {
  std::unique_lock lock(mutex_);
  const auto ticket = ++flush_requests_;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return flushes_done_ >= ticket; });
}

void BatchedWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto asked = [&] { return stopping_ || urgent_ || flush_requests_ != flushes_done_; };
    wake_.wait(lock, [&] { return pending_ || asked(); });
    // The batch window: lines that come in the next max_delay go out with the first one.
    wake_.wait_for(lock, options_.max_delay, asked);
    pending_ = urgent_ = false;
    const auto ticket = flush_requests_;
    const bool stop = stopping_;
    lock.unlock();
    write_batches();
    lock.lock();
    flushes_done_ = ticket;
    flushed_.notify_all();
    if (stop) return;
  }
}

void BatchedWriter::write_batches() {
  std::vector<std::string*> batches;
  {
    std::lock_guard registry(registry_mutex_);  // buffers_ only grows: the pointers stay valid
    for (const auto& buffer : buffers_) {
      std::lock_guard lock(buffer->mutex);
      if (buffer->lines.empty()) continue;
      buffer->lines.swap(buffer->batch);  // the thread keeps appending into last batch's storage
      buffer->flush_asked = false;
      batches.push_back(&buffer->batch);
    }
  }
  if (!batches.empty()) write_all(batches);
  for (auto* batch : batches) {
    if (batch->capacity() > 4 * options_.flush_bytes) *batch = std::string();  // after a burst: give it back
    else batch->clear();
  }
  const auto dropped = dropped_.load(std::memory_order_relaxed);
  if (dropped != dropped_reported_ && !options_.drop_notice.empty()) {
    const auto notice = "switchyard: " + options_.drop_notice + ": " + std::to_string(dropped - dropped_reported_) +
                        " lines dropped, the output did not keep up (" + std::to_string(dropped) + " in all)\n";
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, notice.data(), notice.size());
  }
  dropped_reported_ = dropped;
}

// On a pipe, only a write of at most PIPE_BUF bytes is atomic: a longer one waits for room in the
// middle when the pipe is full, and another writer's line (the gateway's stderr on the same pipe:
// a supervisor, a container runtime, `2>&1 | tee`) lands inside a line of ours. So on a pipe the
// batches go out as one write per piece of whole lines up to PIPE_BUF bytes (more syscalls, on this
// thread only); elsewhere as few writev(2)s as the iovec limit allows.
void BatchedWriter::write_all(std::vector<std::string*>& batches) {
  std::vector<iovec> iov;
  iov.reserve(batches.size());
  for (auto* batch : batches) {
    if (pipe_) append_pipe_pieces(iov, *batch);
    else iov.push_back({batch->data(), batch->size()});
  }
  const std::size_t per_call = pipe_ ? 1 : kMaxIovecs;
  std::size_t first = 0;
  while (first < iov.size()) {
    const auto count = static_cast<int>(std::min<std::size_t>(iov.size() - first, per_call));
    const auto n = ::writev(fd_, iov.data() + first, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking fd: wait until it takes more
        pollfd ready{fd_, POLLOUT, 0};
        ::poll(&ready, 1, 1000);
        continue;
      }
      // The output is gone (closed pipe, full disk): what is left is lost, and counted.
      for (; first < iov.size(); ++first)
        dropped_.fetch_add(count_lines({static_cast<const char*>(iov[first].iov_base), iov[first].iov_len}),
                           std::memory_order_relaxed);
      return;
    }
    auto written = static_cast<std::size_t>(n);
    while (first < iov.size() && written >= iov[first].iov_len) written -= iov[first++].iov_len;
    if (written > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + written;
      iov[first].iov_len -= written;
    }
  }
}

}  // namespace switchyard::api
