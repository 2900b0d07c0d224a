// The server connection's deadline (src/http/connection_deadline.h): a passed deadline cancels
// the socket's pending operation however long the timer's horizon is, a deadline moved later or
// cleared does not, and nothing fires after the session detached its socket.
#include "http/connection_deadline.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>

namespace switchyard::http {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

struct SocketPair {
  asio::io_context io{1};
  http::Socket server{io}, client{io};
  SocketPair() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
};

// Starts a read on `socket` that nothing will satisfy; returns when it completed (or the run ended).
struct PendingRead {
  char byte = 0;
  bool done = false;
  boost::system::error_code ec;
  std::chrono::steady_clock::time_point at;
  void start(http::Socket& socket) {
    socket.async_read_some(asio::buffer(&byte, 1), [this](const boost::system::error_code& e, std::size_t) {
      done = true;
      ec = e;
      at = std::chrono::steady_clock::now();
    });
  }
};

// Runs the context until `done` or `limit`: a passed deadline keeps its timer going (it cancels
// again until set anew), so run_for would always use the whole limit.
template <typename Pred>
void run_until(asio::io_context& io, Pred done, std::chrono::steady_clock::duration limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && !io.stopped() && std::chrono::steady_clock::now() < end)
    io.run_one_for(end - std::chrono::steady_clock::now());
}

TEST(ConnectionDeadline, PassedDeadlineCancelsThePendingReadAfterSeveralHorizons) {
  SocketPair p;
  auto deadline = std::make_shared<ConnectionDeadline>(p.io.get_executor(), 20ms);
  const ConnectionDeadline::Attachment attached(*deadline, p.server);
  PendingRead read;
  const auto started = std::chrono::steady_clock::now();
  deadline->expires_after(150ms);
  read.start(p.server);
  run_until(p.io, [&] { return read.done; }, 5s);
  ASSERT_TRUE(read.done);
  EXPECT_EQ(read.ec, asio::error::operation_aborted);
  EXPECT_TRUE(deadline->timed_out());
  EXPECT_GE(read.at - started, 150ms) << "cancelled before its deadline";
}

TEST(ConnectionDeadline, DeadlineMovedLaterOrClearedDoesNotCancel) {
  SocketPair p;
  auto deadline = std::make_shared<ConnectionDeadline>(p.io.get_executor(), 20ms);
  const ConnectionDeadline::Attachment attached(*deadline, p.server);
  PendingRead read;
  deadline->expires_after(50ms);
  read.start(p.server);
  asio::steady_timer later(p.io, 30ms);
  later.async_wait([&](const boost::system::error_code&) { deadline->expires_after(300ms); });
  const auto started = std::chrono::steady_clock::now();
  run_until(p.io, [&] { return read.done; }, 5s);
  ASSERT_TRUE(read.done);
  EXPECT_GE(read.at - started, 300ms) << "the first, earlier deadline still fired";
  EXPECT_TRUE(deadline->timed_out());

  // Cleared: the read waits until the peer writes.
  p.io.restart();
  PendingRead second;
  deadline->expires_after(50ms);
  deadline->expires_never();
  second.start(p.server);
  EXPECT_FALSE(deadline->timed_out());
  p.io.run_for(300ms);
  EXPECT_FALSE(second.done) << "a cleared deadline cancelled the read";
  asio::write(p.client, asio::buffer("x", 1));
  run_until(p.io, [&] { return second.done; }, 2s);
  ASSERT_TRUE(second.done);
  EXPECT_FALSE(second.ec) << second.ec.message();
}

// The timer fires while no operation waits (a completion already queued, in the real race): the
// read started afterwards must still be cancelled, not wait forever without a deadline.
TEST(ConnectionDeadline, ReadStartedAfterThePassedDeadlineFiredIsCancelledToo) {
  SocketPair p;
  auto deadline = std::make_shared<ConnectionDeadline>(p.io.get_executor(), 20ms);
  const ConnectionDeadline::Attachment attached(*deadline, p.server);
  deadline->expires_after(30ms);
  p.io.run_for(200ms);  // the deadline passes and fires with nothing to cancel
  ASSERT_TRUE(deadline->timed_out());
  p.io.restart();
  PendingRead late;
  late.start(p.server);
  run_until(p.io, [&] { return late.done; }, 5s);
  ASSERT_TRUE(late.done) << "a read started after the deadline fired waited with no deadline";
  EXPECT_EQ(late.ec, asio::error::operation_aborted);
  EXPECT_TRUE(deadline->timed_out());

  // A new deadline ends it: the next read waits for the peer.
  p.io.restart();
  deadline->expires_after(10s);
  EXPECT_FALSE(deadline->timed_out());
  PendingRead next;
  next.start(p.server);
  p.io.run_for(200ms);
  EXPECT_FALSE(next.done) << "an old, passed deadline cancelled a read under a new one";
  asio::write(p.client, asio::buffer("x", 1));
  run_until(p.io, [&] { return next.done; }, 2s);
  ASSERT_TRUE(next.done);
  EXPECT_FALSE(next.ec) << next.ec.message();
}

TEST(ConnectionDeadline, NothingFiresAfterTheSocketIsDetached) {
  SocketPair p;
  auto deadline = std::make_shared<ConnectionDeadline>(p.io.get_executor(), 20ms);
  PendingRead read;
  {
    const ConnectionDeadline::Attachment attached(*deadline, p.server);
    deadline->expires_after(50ms);
  }
  read.start(p.server);
  p.io.run_for(300ms);
  EXPECT_FALSE(read.done);
  EXPECT_FALSE(deadline->timed_out());
}

}  // namespace
}  // namespace switchyard::http
