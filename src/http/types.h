// HTTP vocabulary shared by the server, the upstream client and the layers above them.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace switchyard::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
template <typename T>
using Awaitable = boost::asio::awaitable<T>;
using Clock = std::chrono::steady_clock;

}  // namespace switchyard::http
