// One structured line per request: who asked for what, every attempt (deployment, class,
// latency), the fallback path and the final status. Text (key=value) or JSON lines
// (`--log-format json`) on stdout. Secrets are redacted (redact.h).
// Each I/O thread formats its line into a reused buffer and appends it to its own batch; one
// writer thread writes the batches (batched_writer.h): no syscall and no shared lock per line, a
// line is out within ~100 ms, all lines are out once the RequestLog is destroyed (after the
// server's drain), and an I/O thread never waits for stdout (lines beyond 4 MB per thread of
// backlog are dropped and counted on stderr).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/redact.h"
#include "api/request_summary.h"

namespace switchyard::api {

class BatchedWriter;

enum class LogFormat { text, json };

class RequestLog {
 public:
  explicit RequestLog(LogFormat format, int fd = STDOUT_FILENO);
  ~RequestLog();  // writes every line not written yet
  void write(const RequestSummary& s, const Redactor& redact) const;
  // Returns once every line written before is out.
  void flush() const;
  std::uint64_t dropped_lines() const;

  // The line itself (tests), without its newline.
  static std::string format_line(LogFormat format, const RequestSummary& s, const Redactor& redact);
  // The same, appended to `out`.
  static void append_line(std::string& out, LogFormat format, const RequestSummary& s, const Redactor& redact);

 private:
  LogFormat format_;
  std::unique_ptr<BatchedWriter> writer_;
};

}  // namespace switchyard::api
