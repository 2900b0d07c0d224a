#include "harness.h"

#include <algorithm>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <stdexcept>

namespace switchyard::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxResponseBodyBytes = 64 << 20;
constexpr std::chrono::milliseconds kReapPollInterval{10};
constexpr std::string_view kListeningOn = "listening on ";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

// ------------------------------------------------------------------------------------- paths
std::string binary_path() { return SWITCHYARD_BINARY; }
std::filesystem::path data_dir() { return SWITCHYARD_TEST_DATA_DIR; }
std::filesystem::path examples_dir() { return SWITCHYARD_EXAMPLES_DIR; }

std::filesystem::path temp_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::path(SWITCHYARD_TEST_TMP_DIR) / std::to_string(::getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

std::filesystem::path write_temp_file(std::string_view name, std::string_view content) {
  static std::atomic<int> counter{0};
  const auto path = temp_dir() / (std::to_string(counter++) + "-" + std::string(name));
  std::ofstream out(path, std::ios::binary);
  out << content;
  return path;
}

std::uint16_t free_port() {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

// The port right after the address ("[http://]HOST:PORT", then a space or the end of the line),
// not the line's last colon: a line another thread's output cut into once read as
// "... (2 threads, switchyard: redis redis://127.0.0.1:39259/0 connected", and the test talked
// to Redis, which drops HTTP requests without an answer.
std::optional<std::uint16_t> listening_port(std::string_view output) {
  const auto at = output.rfind(kListeningOn);
  if (at == std::string_view::npos) return std::nullopt;
  auto line = output.substr(at + kListeningOn.size());
  line = line.substr(0, line.find('\n'));
  if (line.starts_with("http://")) line.remove_prefix(7);
  const auto host_end = line.starts_with('[') ? line.find(']') : 0;  // [::1]:PORT
  const auto colon = host_end == std::string_view::npos ? host_end : line.find(':', host_end);
  if (colon == std::string_view::npos) return std::nullopt;
  std::uint16_t port = 0;
  const auto digits = line.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || port == 0) return std::nullopt;
  if (end != digits.data() + digits.size() && *end != ' ') return std::nullopt;
  return port;
}

// ----------------------------------------------------------------------------------- Process
Process::Process(std::vector<std::string> argv) {
  static std::atomic<int> counter{0};
  log_path_ = temp_dir() / (std::filesystem::path(argv.at(0)).filename().string() + "-" +
                            std::to_string(counter++) + ".log");
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  int fds[2];
  // O_CLOEXEC: other children started concurrently must not inherit this pipe, or its reader
  // would not see end-of-file when this child exits.
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(args[0], args.data());
    _exit(127);
  }
  ::close(fds[1]);
  reader_ = std::thread([this, fd = fds[0]] { read_output(fd); });
}

Process::~Process() {
  if (running()) stop();
  if (reader_.joinable()) reader_.join();
}

void Process::read_output(int fd) {
  std::ofstream log(log_path_, std::ios::binary);
  char buf[4096];
  for (;;) {
    const auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    log.write(buf, n);
    log.flush();
    std::lock_guard lock(mutex_);
    output_.append(buf, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  ::close(fd);
  std::lock_guard lock(mutex_);
  output_closed_ = true;
  changed_.notify_all();
}

bool Process::wait_for_line(std::string_view needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return output_.find(needle) != std::string::npos || output_closed_;
  }) && output_.find(needle) != std::string::npos;
}

std::optional<std::uint16_t> Process::wait_for_port(std::chrono::milliseconds timeout) {
  if (!wait_for_line(kListeningOn, timeout)) return std::nullopt;
  // The line is flushed whole (std::endl); wait for its newline in case a read split it.
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] {
    const auto at = output_.rfind(kListeningOn);
    return output_.find('\n', at) != std::string::npos || output_closed_;
  });
  return listening_port(output_);
}

bool Process::reap(bool block) {
  if (exit_code_ || pid_ <= 0) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) {
    exit_code_ = decode_status(status);
    return true;
  }
  return false;
}

std::optional<int> Process::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kReapPollInterval);  // bounded by the deadline above
  }
  // The process is gone, but the reader thread may not have drained the pipe yet: callers read
  // output() next, so wait (bounded) for the end of its output.
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, std::max(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(2)),
                      [this] { return output_closed_; });
  return exit_code_;
}

int Process::stop(std::chrono::milliseconds grace) {
  if (reap(false)) return *exit_code_;
  ::kill(pid_, SIGTERM);
  if (const auto code = wait_for_exit(grace)) return *code;
  ::kill(pid_, SIGKILL);
  reap(true);
  return *exit_code_;
}

bool Process::running() { return !reap(false); }

std::optional<int> Process::exit_code() {
  reap(false);
  return exit_code_;
}

std::string Process::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

GatewayProcess start_gateway(std::string_view config_yaml, std::vector<std::string> extra_args) {
  std::vector<std::string> argv{binary_path(), "serve", "--config", write_temp_file("gateway.yaml", config_yaml).string(),
                                "--port", "0"};
  for (auto& a : extra_args) argv.push_back(std::move(a));
  GatewayProcess g;
  g.process = std::make_unique<Process>(std::move(argv));
  const auto port = g.process->wait_for_port();
  if (!port) throw std::runtime_error("gateway did not start: " + g.process->output());
  g.port = *port;
  return g;
}

MockProcess start_mock(std::string_view config_yaml, std::vector<std::string> extra_args) {
  std::vector<std::string> argv{binary_path(), "mock"};
  // A port may be given (a config that must name the mock's address before it starts).
  if (std::find(extra_args.begin(), extra_args.end(), "--port") == extra_args.end()) {
    argv.push_back("--port");
    argv.push_back("0");
  }
  if (!config_yaml.empty()) {
    argv.push_back("--config");
    argv.push_back(write_temp_file("mock.yaml", config_yaml).string());
  }
  for (auto& a : extra_args) argv.push_back(std::move(a));
  MockProcess m;
  m.process = std::make_unique<Process>(std::move(argv));
  if (const auto port = m.process->wait_for_port()) m.port = *port;
  return m;
}

// -------------------------------------------------------------------------------- HTTP client
std::string HttpResult::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

namespace {

struct Connection {
  Connection(std::uint16_t p, std::chrono::milliseconds t) : port(p), timeout(t) {}

  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  bool connected = false;

  void close() {
    beast::error_code ignored;
    stream.socket().close(ignored);
    buffer.clear();
    connected = false;
  }

  asio::awaitable<void> exchange(const bhttp::request<bhttp::string_body>& req, HttpResult& out) {
    if (!connected) {
      stream.expires_after(timeout);
      auto [ec] = co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), kUseTuple);
      if (ec) {
        out.error = ec;
        close();
        co_return;
      }
      connected = true;
    }
    stream.expires_after(timeout);
    auto [ec_w, n_w] = co_await bhttp::async_write(stream, req, kUseTuple);
    if (ec_w) {
      out.error = ec_w;
      close();
      co_return;
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBodyBytes);
    auto [ec_r, n_r] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
    if (ec_r) {
      out.error = ec_r;
      close();
      co_return;
    }
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) close();
  }

  HttpResult run(const bhttp::request<bhttp::string_body>& req) {
    HttpResult out;
    asio::co_spawn(ioc, exchange(req, out), asio::detached);
    ioc.restart();
    ioc.run();
    return out;
  }

  HttpResult send(std::string_view method, std::string_view target, std::string_view body, const Headers& headers,
                  bool keep_alive) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    bool has_type = false;
    for (const auto& [k, v] : headers) {
      req.set(k, v);
      has_type = has_type || iequals(k, "content-type");
    }
    if (!body.empty() && !has_type) req.set(bhttp::field::content_type, "application/json");
    req.body() = std::string(body);
    req.keep_alive(keep_alive);
    req.prepare_payload();
    const bool reused = connected;
    HttpResult out = run(req);
    // A kept-alive connection the server closed while idle reads end-of-stream at once: send
    // again on a new one. A reset is an answer (the mock's connection_reset), never retried.
    if (reused && out.status == 0 && out.error == bhttp::error::end_of_stream) out = run(req);
    return out;
  }
};

}  // namespace

struct HttpConnection::Impl : Connection {
  using Connection::Connection;
};

HttpConnection::HttpConnection(std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(port, timeout)) {}
HttpConnection::~HttpConnection() = default;

HttpResult HttpConnection::request(std::string_view method, std::string_view target, std::string_view body,
                                   const Headers& headers) {
  return impl_->send(method, target, body, headers, true);
}

HttpResult request(std::uint16_t port, std::string_view method, std::string_view target, std::string_view body,
                   const Headers& headers, std::chrono::milliseconds timeout) {
  Connection c(port, timeout);
  return c.send(method, target, body, headers, false);
}

// ------------------------------------------------------------------------------------- SSE
std::vector<SseEvent> parse_sse(std::string_view body) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool has_fields = false;
  while (!body.empty()) {
    auto eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view{} : body.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (has_fields) events.push_back(std::move(current));
      current = {};
      has_fields = false;
      continue;
    }
    if (line.front() == ':') continue;  // comment
    const auto colon = line.find(':');
    const auto field = line.substr(0, colon);
    auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "event") {
      current.event = value;
    } else if (field == "data") {
      if (!current.data.empty()) current.data += '\n';
      current.data += value;
    }
    has_fields = true;
  }
  if (has_fields) events.push_back(std::move(current));
  return events;
}

}  // namespace switchyard::testing
