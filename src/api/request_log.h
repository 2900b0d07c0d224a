// One structured line per request: who asked for what, every attempt (deployment, class,
// latency), the fallback path and the final status. Text (key=value) or JSON lines
// (`--log-format json`), through an spdlog async logger whose queue drops the oldest line when
// full, so an I/O thread never waits for stdout. Secrets are redacted (redact.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/redact.h"
#include "api/request_summary.h"

namespace spdlog {
class logger;
}

namespace switchyard::api {

enum class LogFormat { text, json };

class RequestLog {
 public:
  explicit RequestLog(LogFormat format);
  ~RequestLog();
  void write(const RequestSummary& s, const Redactor& redact) const;

  // The line itself (tests), without its newline.
  static std::string format_line(LogFormat format, const RequestSummary& s, const Redactor& redact);
  // The same, appended to `out`.
  static void append_line(std::string& out, LogFormat format, const RequestSummary& s, const Redactor& redact);

 private:
  LogFormat format_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace switchyard::api
