// One I/O thread's client connections, for closing idle keep-alive ones when max_connections is
// reached and clients are waiting (as nginx does with its "reusable" connections,
// ngx_drain_connections: the oldest idle ones first, a batch at a time). An idle connection is
// one between requests: its session waits for readability holding no parser, no buffer, no
// request in flight (see server.cpp, `session`). A fresh connection that has not sent its first
// request yet does not count.
//
// Touched only on its own thread: no lock, no atomic. What it costs a connection: linked when
// the session starts, unlinked when it ends (a few pointer writes each); a request: the `idle`
// flag set before the wait for the next request and cleared after it (two byte stores). The list
// is not reordered per request: shedding (rare) scans it and orders the idle entries by their
// idle deadline, which is when they went idle plus the idle timeout.
#pragma once

#include "http/connection_deadline.h"
#include "http/types.h"

#include <cstddef>
#include <vector>

namespace switchyard::http {

class IdleConnections {
 public:
  IdleConnections() = default;
  IdleConnections(const IdleConnections&) = delete;
  IdleConnections& operator=(const IdleConnections&) = delete;

  // A session's place in the list (in the session's frame), linked while it lives.
  class Entry {
   public:
    Entry(IdleConnections& list, Socket& socket, const ConnectionDeadline& deadline);
    ~Entry();
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    // True only while the session waits for the next request of a keep-alive connection.
    void set_idle(bool idle) { idle_ = idle; }

   private:
    friend class IdleConnections;
    IdleConnections& list_;
    Entry* prev_ = nullptr;
    Entry* next_ = nullptr;
    Socket& socket_;
    const ConnectionDeadline& deadline_;
    bool idle_ = false;
  };

  // The idle deadlines of this thread's `n` oldest idle connections (fewer when fewer are idle),
  // oldest first. A connection whose next request's first bytes have arrived is not idle.
  std::vector<Clock::time_point> oldest_idle(std::size_t n) const;

  // Closes this thread's `n` oldest idle connections (fewer when fewer are idle); how many it
  // closed. Closing cancels the session's wait: the session then ends as on its idle timeout
  // (shutdown, close: a FIN; it has nothing unread, so no reset).
  std::size_t close_oldest(std::size_t n);

 private:
  std::vector<Entry*> oldest(std::size_t n) const;

  Entry* head_ = nullptr;
};

}  // namespace switchyard::http
