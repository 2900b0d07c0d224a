// One line of the process's own output (stdout or stderr), written whole.
//
// `std::cerr << a << b << std::endl` is several write(2)s (std::cerr is unbuffered), and any
// write to std::cerr first flushes std::cout (they are tied), so a line of std::cout being
// formatted on one thread leaves in pieces when another thread writes to std::cerr meanwhile.
// With both streams on one pipe (a supervisor, the test harness, `2>&1 | tee`) the lines then
// interleave mid-line: "switchyard listening on http://127.0.0.1:37023 (2 threads, switchyard:
// redis redis://127.0.0.1:39259/0 connected", whose last port is Redis's, not the gateway's.
// Formatted first and handed over in one piece (one fwrite under the stream's lock, then a flush),
// a line of up to PIPE_BUF bytes reaches the pipe in one write and stays whole.
#pragma once

#include <ostream>
#include <string>

namespace switchyard::core {

// Appends the newline to `line` and writes it to `out` in one piece, then flushes.
void log_line(std::ostream& out, std::string line);

}  // namespace switchyard::core
