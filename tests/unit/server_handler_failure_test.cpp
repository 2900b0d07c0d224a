// A request handler that throws (a bug below the server) still gets its client an answer: a 500,
// the connection closed, the request no longer counted in flight (a drain finishes), and the
// server goes on serving. Before, the connection was closed without a word.
#include "http/server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace switchyard::http {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

beast_http::response<beast_http::string_body> get(std::uint16_t port, std::string_view target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast_http::request<beast_http::empty_body> req(beast_http::verb::get, target, 11);
  req.set(beast_http::field::host, "127.0.0.1");
  beast_http::write(stream, req);
  beast::flat_buffer buffer;
  beast_http::response<beast_http::string_body> res;
  beast_http::read(stream, buffer, res);  // throws on a connection closed without an answer
  return res;
}

TEST(ServerHandlerFailure, AThrowingHandlerAnswers500AndTheServerGoesOn) {
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  Server server(options, [](Request& request, Responder& responder) -> Awaitable<void> {
    if (request.target().starts_with("/throw")) throw std::runtime_error("bug in a handler");
    co_await responder.send(beast_http::status::ok, "", "fine");
  });
  server.start();
  std::thread runner([&] { server.wait(); });

  const auto failed = get(server.port(), "/throw?key=secret");
  EXPECT_EQ(failed.result_int(), 500);
  EXPECT_NE(failed.body().find("internal error"), std::string::npos) << failed.body();
  EXPECT_FALSE(failed.keep_alive());

  const auto next = get(server.port(), "/fine");
  EXPECT_EQ(next.result_int(), 200);
  EXPECT_EQ(next.body(), "fine");
  EXPECT_EQ(server.drain(std::chrono::milliseconds(2000)), 0) << "the failed request is still counted in flight";
  server.stop();
  runner.join();
}

}  // namespace
}  // namespace switchyard::http
