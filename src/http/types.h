// HTTP vocabulary shared by the server, the upstream client and the layers above them.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace switchyard::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using RequestHead = beast_http::request_header<>;  // a Request's headers (a Request is one)
using Response = beast_http::response<beast_http::string_body>;
// Every I/O object and coroutine runs on an io_context: its concrete executor type instead of the
// type-erased any_io_executor saves the type erasure on every completion (~4k instructions per
// request, issue 15's profile).
using Executor = boost::asio::io_context::executor_type;
template <typename T>
using Awaitable = boost::asio::awaitable<T, Executor>;
inline constexpr boost::asio::use_awaitable_t<Executor> kUseAwaitable{};
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, Executor>;
using SteadyTimer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                      boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;
using Resolver = boost::asio::ip::basic_resolver<boost::asio::ip::tcp, Executor>;
using TcpStream = boost::beast::basic_stream<boost::asio::ip::tcp, Executor>;
using Clock = std::chrono::steady_clock;

// How long one write to a client may take before the client counts as gone (it stopped reading).
inline constexpr std::chrono::milliseconds kDefaultWriteTimeout{60'000};

}  // namespace switchyard::http
