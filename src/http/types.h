// HTTP vocabulary shared by the server, the upstream client and the layers above them.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace switchyard::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using RequestHead = beast_http::request_header<>;  // a Request's headers (a Request is one)
using Response = beast_http::response<beast_http::string_body>;
template <typename T>
using Awaitable = boost::asio::awaitable<T>;
using Clock = std::chrono::steady_clock;

// How long one write to a client may take before the client counts as gone (it stopped reading).
inline constexpr std::chrono::milliseconds kDefaultWriteTimeout{60'000};

}  // namespace switchyard::http
