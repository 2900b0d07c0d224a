// One I/O thread's registry of connections (src/http/idle_connections.h), used at max_connections
// to close idle keep-alive connections: only idle ones are offered, oldest idle first, a socket
// whose next request's bytes have arrived is not idle, closing cancels exactly the chosen ones'
// waits, and a session that ended is gone from the list.
#include "http/idle_connections.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace switchyard::http {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A server-side connection as a session holds it: its socket, its deadline, its entry, and the
// wait for the next request.
struct Session {
  http::Socket server;
  http::Socket client;
  std::shared_ptr<ConnectionDeadline> deadline;
  std::optional<IdleConnections::Entry> entry;
  std::optional<boost::system::error_code> wait_result;

  Session(asio::io_context& io, tcp::acceptor& acceptor, IdleConnections& list)
      : server(io), client(io), deadline(std::make_shared<ConnectionDeadline>(io.get_executor(), 1h)) {
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    entry.emplace(list, server, *deadline);
  }
  // Idle since `idle_since` (the session sets its idle deadline, then waits for readability).
  void go_idle(ConnectionDeadline::Clock::time_point idle_since) {
    deadline->expires_at(idle_since + 75s);
    entry->set_idle(true);
    server.async_wait(http::Socket::wait_read, [this](const boost::system::error_code& ec) { wait_result = ec; });
  }
};

struct Fixture {
  asio::io_context io{1};
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  IdleConnections list;
  std::vector<std::unique_ptr<Session>> sessions;
  Session& open() { return *sessions.emplace_back(std::make_unique<Session>(io, acceptor, list)); }
};

TEST(IdleConnections, OffersOnlyIdleConnectionsOldestFirst) {
  Fixture f;
  const auto now = ConnectionDeadline::Clock::now();
  auto& middle = f.open();
  auto& busy = f.open();  // linked, never idle (a request under way)
  auto& oldest = f.open();
  auto& youngest = f.open();
  middle.go_idle(now - 2s);
  oldest.go_idle(now - 5s);
  youngest.go_idle(now - 1s);
  (void)busy;
  const auto offered = f.list.oldest_idle(10);
  ASSERT_EQ(offered.size(), 3u);
  EXPECT_EQ(offered[0], now - 5s + 75s);
  EXPECT_EQ(offered[1], now - 2s + 75s);
  EXPECT_EQ(offered[2], now - 1s + 75s);
  EXPECT_EQ(f.list.oldest_idle(2).size(), 2u);
}

TEST(IdleConnections, ConnectionWithTheNextRequestsBytesIsNotIdle) {
  Fixture f;
  const auto now = ConnectionDeadline::Clock::now();
  auto& started = f.open();
  auto& idle = f.open();
  started.go_idle(now - 5s);
  idle.go_idle(now - 1s);
  asio::write(started.client, asio::buffer(std::string_view("GET / HTTP/1.1\r\n")));  // loopback: there at once
  const auto offered = f.list.oldest_idle(10);
  ASSERT_EQ(offered.size(), 1u);
  EXPECT_EQ(offered[0], now - 1s + 75s);
  EXPECT_EQ(f.list.close_oldest(10), 1u);
  f.io.poll();  // a cancel queues the completions at once; the bytes are already readable
  EXPECT_EQ(idle.wait_result, asio::error::operation_aborted);
  EXPECT_EQ(started.wait_result, boost::system::error_code()) << "its wait completes with the request's bytes";
}

TEST(IdleConnections, ClosingCancelsTheOldestWaitsOnlyAndNeverTwice) {
  Fixture f;
  const auto now = ConnectionDeadline::Clock::now();
  auto& a = f.open();
  auto& b = f.open();
  auto& c = f.open();
  a.go_idle(now - 3s);
  b.go_idle(now - 9s);
  c.go_idle(now - 1s);
  EXPECT_EQ(f.list.close_oldest(2), 2u);
  EXPECT_EQ(f.list.oldest_idle(10).size(), 1u) << "the closed ones are not offered again";
  f.io.poll();  // a cancel queues the completions at once
  EXPECT_EQ(b.wait_result, asio::error::operation_aborted);
  EXPECT_EQ(a.wait_result, asio::error::operation_aborted);
  EXPECT_FALSE(c.wait_result) << "the youngest idle one keeps waiting";
}

TEST(IdleConnections, EndedSessionsLeaveTheList) {
  Fixture f;
  const auto now = ConnectionDeadline::Clock::now();
  for (int i = 0; i < 4; ++i) f.open().go_idle(now - std::chrono::seconds(i));
  f.sessions[1]->entry.reset();  // from the middle
  f.sessions[3]->entry.reset();  // the head (linked last)
  f.sessions[0]->entry.reset();  // the tail
  const auto offered = f.list.oldest_idle(10);
  ASSERT_EQ(offered.size(), 1u);
  EXPECT_EQ(offered[0], now - 2s + 75s);
}

}  // namespace
}  // namespace switchyard::http
