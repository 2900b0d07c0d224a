#include "errors/explain.h"

#include <boost/json.hpp>

namespace switchyard::errors {

std::string explain_json(const Classification& c) {
  boost::json::object o;
  o["class"] = to_string(c.error_class);
  o["retry"] = c.decision.retry;
  o["cooldown"] = c.decision.cooldown;
  o["fallback"] = c.decision.fallback;
  o["rule"] = c.rule;
  return boost::json::serialize(o);
}

}  // namespace switchyard::errors
