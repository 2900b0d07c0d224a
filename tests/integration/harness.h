// Integration-test harness: start the real `switchyard` binary, talk to it over real sockets on
// 127.0.0.1, and stop it. Every wait has a timeout; ports come from `--port 0` (parse the
// "listening on" line) or free_port(), so tests run in parallel (`ctest -j`) without clashes.
// Paths come from compile definitions: SWITCHYARD_BINARY, SWITCHYARD_TEST_DATA_DIR,
// SWITCHYARD_EXAMPLES_DIR.
#pragma once

#include <sys/types.h>

#include <boost/system/error_code.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace switchyard::testing {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Polls `condition` every 10 ms until it holds or `timeout` passes; false on timeout. For state
// that other processes change (mock stats, metrics, Redis): a deadline, never a bare sleep.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

inline constexpr std::chrono::milliseconds kDefaultTimeout{10'000};

std::string binary_path();        // the built switchyard binary
std::filesystem::path data_dir();     // tests/data
std::filesystem::path examples_dir(); // examples/

// A directory of its own for this test process under the build tree (kept, so logs of a failed
// run can be read); files written there.
std::filesystem::path temp_dir();
std::filesystem::path write_temp_file(std::string_view name, std::string_view content);

// A port that was free a moment ago (bind 127.0.0.1:0, read, close). Prefer `--port 0` plus
// listening_port(): a port found here can be taken by someone else before the binary binds it.
std::uint16_t free_port();

// The port in the last "listening on HOST:PORT" line of `output`.
std::optional<std::uint16_t> listening_port(std::string_view output);

// A child process with stdout and stderr captured (in memory, and to a log file in temp_dir()).
class Process {
 public:
  explicit Process(std::vector<std::string> argv);
  ~Process();  // stops the process if it still runs
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Waits until the output contains `needle`; false on timeout or when the process ended first.
  bool wait_for_line(std::string_view needle, std::chrono::milliseconds timeout = kDefaultTimeout);
  // Waits for "listening on …:PORT" and returns the port.
  std::optional<std::uint16_t> wait_for_port(std::chrono::milliseconds timeout = kDefaultTimeout);
  // Waits for the process to exit by itself; its exit code, nullopt on timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout = kDefaultTimeout);
  // SIGTERM, then SIGKILL after `grace`. Returns the exit code (128+signal when killed by one).
  int stop(std::chrono::milliseconds grace = 5s);

  bool running();
  std::optional<int> exit_code();  // nullopt while running
  std::string output() const;      // stdout and stderr interleaved, so far
  pid_t pid() const { return pid_; }
  const std::filesystem::path& log_path() const { return log_path_; }

 private:
  bool reap(bool block);
  void read_output(int fd);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path log_path_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool output_closed_ = false;
};

// `switchyard mock --port 0 [--config F]` (F written from `config_yaml` when not empty).
struct MockProcess {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
};
MockProcess start_mock(std::string_view config_yaml = {}, std::vector<std::string> extra_args = {});

// `switchyard serve --config F --port 0 [extra_args]`, F written from `config_yaml`; throws with
// the gateway's output when it does not start listening.
struct GatewayProcess {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
};
GatewayProcess start_gateway(std::string_view config_yaml, std::vector<std::string> extra_args = {});

struct HttpResult {
  int status = 0;  // 0: no HTTP response (see error)
  Headers headers;
  std::string body;
  boost::system::error_code error;  // transport failure: connection_reset, eof, timeout, …

  bool ok() const { return !error && status != 0; }
  std::string header(std::string_view name) const;  // case-insensitive; empty when absent
};

// One request on a fresh connection (Connection: close). `body` is sent as application/json
// unless `headers` set a content-type.
HttpResult request(std::uint16_t port, std::string_view method, std::string_view target, std::string_view body = {},
                   const Headers& headers = {}, std::chrono::milliseconds timeout = kDefaultTimeout);

// A keep-alive connection for loops; reconnects if the server closed it.
class HttpConnection {
 public:
  explicit HttpConnection(std::uint16_t port, std::chrono::milliseconds timeout = kDefaultTimeout);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  HttpResult request(std::string_view method, std::string_view target, std::string_view body = {},
                     const Headers& headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Server-sent events of a complete stream body, in order. `event` is empty for data-only events.
struct SseEvent {
  std::string event;
  std::string data;
};
std::vector<SseEvent> parse_sse(std::string_view body);

}  // namespace switchyard::testing
