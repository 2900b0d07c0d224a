#include "core/log_line.h"

namespace switchyard::core {

void log_line(std::ostream& out, std::string line) {
  line += '\n';
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  out.flush();
}

}  // namespace switchyard::core
