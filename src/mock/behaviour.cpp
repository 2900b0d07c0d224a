#include "mock/behaviour.h"

#include <array>
#include <boost/json.hpp>
#include <utility>

namespace switchyard::mock {
namespace {

constexpr std::array<std::pair<Fault, std::string_view>, 21> kFaultNames = {{
    {Fault::ok, "ok"},
    {Fault::bad_request, "bad_request"},
    {Fault::context_window_exceeded, "context_window_exceeded"},
    {Fault::content_policy, "content_policy"},
    {Fault::authentication, "authentication"},
    {Fault::permission_denied, "permission_denied"},
    {Fault::not_found, "not_found"},
    {Fault::rate_limit, "rate_limit"},
    {Fault::quota_exhausted, "quota_exhausted"},
    {Fault::overloaded, "overloaded"},
    {Fault::timeout, "timeout"},
    {Fault::server_error, "server_error"},
    {Fault::connection_reset, "connection_reset"},
    {Fault::hang, "hang"},
    {Fault::close_after_read, "close_after_read"},
    {Fault::close_after_answer, "close_after_answer"},
    {Fault::garbage, "garbage"},
    {Fault::stream_error_before_content, "stream_error_before_content"},
    {Fault::stream_drop_before_content, "stream_drop_before_content"},
    {Fault::stream_error_after_content, "stream_error_after_content"},
    {Fault::stream_drop_after_content, "stream_drop_after_content"},
}};

constexpr auto kAllFaults = [] {
  std::array<Fault, kFaultNames.size()> out{};
  for (std::size_t i = 0; i < kFaultNames.size(); ++i) out[i] = kFaultNames[i].first;
  return out;
}();

std::optional<std::int64_t> non_negative(const boost::json::value& v) {
  if (v.is_int64() && v.get_int64() >= 0) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.get_uint64());
  // Larger doubles would be undefined behaviour to cast; they are refused like negatives.
  if (v.is_double() && v.get_double() >= 0 && v.get_double() < 9.0e18) return static_cast<std::int64_t>(v.get_double());
  return std::nullopt;
}

bool set_fault(const boost::json::value& v, std::vector<Fault>& script, std::string& error) {
  if (!v.is_string()) {
    error = "fault names are strings";
    return false;
  }
  const auto f = fault_from_string(v.get_string());
  if (!f) {
    error = "unknown fault '" + std::string(v.get_string()) + "'";
    return false;
  }
  script.push_back(*f);
  return true;
}

}  // namespace

std::string_view to_string(Fault f) {
  for (const auto& [fault, name] : kFaultNames)
    if (fault == f) return name;
  return "ok";
}

std::optional<Fault> fault_from_string(std::string_view name) {
  for (const auto& [fault, n] : kFaultNames)
    if (n == name) return fault;
  return std::nullopt;
}

std::span<const Fault> all_faults() { return kAllFaults; }

bool is_http_error(Fault f) {
  return f != Fault::ok && f != Fault::connection_reset && f != Fault::hang && f != Fault::garbage &&
         f != Fault::close_after_read && f != Fault::close_after_answer && !is_stream_fault(f);
}

bool is_stream_fault(Fault f) {
  return f == Fault::stream_error_before_content || f == Fault::stream_drop_before_content ||
         f == Fault::stream_error_after_content || f == Fault::stream_drop_after_content;
}

Fault non_streaming_fault(Fault f) {
  if (f == Fault::stream_error_before_content || f == Fault::stream_error_after_content) return Fault::overloaded;
  if (f == Fault::stream_drop_before_content || f == Fault::stream_drop_after_content) return Fault::connection_reset;
  return f;
}

std::optional<ToolCall> tool_call_from_json(const boost::json::value& json, std::string& error) {
  const auto* o = json.if_object();
  if (!o) {
    error = "'tool_call' must be an object {name, arguments}";
    return std::nullopt;
  }
  ToolCall call;
  for (const auto& [key, value] : *o) {
    if (key == "name" && value.is_string() && !value.get_string().empty()) {
      call.name = value.get_string();
    } else if (key == "arguments" && value.is_object()) {
      call.arguments_json = boost::json::serialize(value);
    } else if (key == "name" || key == "arguments") {
      error = key == "name" ? "'tool_call.name' must be a non-empty string"
                            : "'tool_call.arguments' must be a JSON object";
      return std::nullopt;
    } else {
      error = "unknown field 'tool_call." + std::string(key) + "' (name, arguments)";
      return std::nullopt;
    }
  }
  if (call.name.empty()) {
    error = "'tool_call.name' is required";
    return std::nullopt;
  }
  if (call.arguments_json.empty()) call.arguments_json = "{}";
  return call;
}

std::optional<Replay> replay_from_json(const boost::json::value& json, std::string& error) {
  const auto* o = json.if_object();
  if (!o) {
    error = "'replay' must be an object {status, content_type, body}";
    return std::nullopt;
  }
  Replay replay;
  bool has_body = false;
  for (const auto& [key, value] : *o) {
    if (key == "status") {
      const auto n = non_negative(value);
      if (!n || *n < 100 || *n > 599) {
        error = "'replay.status' must be an HTTP status (100..599)";
        return std::nullopt;
      }
      replay.status = static_cast<int>(*n);
    } else if (key == "content_type" && value.is_string()) {
      replay.content_type = value.get_string();
    } else if (key == "body" && value.is_string()) {
      replay.body = value.get_string();
      has_body = true;
    } else {
      error = "'replay." + std::string(key) + "': unknown field or not a string (status, content_type, body)";
      return std::nullopt;
    }
  }
  if (!has_body) {
    error = "'replay.body' is required";
    return std::nullopt;
  }
  return replay;
}

std::optional<Behaviour> behaviour_from_json(const boost::json::value& json, std::string& error) {
  if (!json.is_object()) {
    error = "behaviour must be a JSON object";
    return std::nullopt;
  }
  Behaviour b;
  bool has_script = false;
  for (const auto& [key, value] : json.get_object()) {
    if (key == "fault" || key == "script") {
      if (has_script) {
        error = "give either 'fault' or 'script', not both";
        return std::nullopt;
      }
      has_script = true;
      b.script.clear();
      if (key == "fault") {
        if (!set_fault(value, b.script, error)) return std::nullopt;
      } else {
        if (!value.is_array() || value.get_array().empty()) {
          error = "'script' must be a non-empty list of fault names";
          return std::nullopt;
        }
        for (const auto& item : value.get_array())
          if (!set_fault(item, b.script, error)) return std::nullopt;
      }
    } else if (key == "reply") {
      if (!value.is_string()) {
        error = "'reply' must be a string";
        return std::nullopt;
      }
      b.reply = value.get_string();
    } else if (key == "path_prefix") {
      if (!value.is_string()) {
        error = "'path_prefix' must be a string";
        return std::nullopt;
      }
      b.path_prefix = value.get_string();
    } else if (key == "echo_credential") {
      if (!value.is_bool()) {
        error = "'echo_credential' must be true or false";
        return std::nullopt;
      }
      b.echo_credential = value.get_bool();
    } else if (key == "replay") {
      auto replay = replay_from_json(value, error);
      if (!replay) return std::nullopt;
      b.replay = std::move(*replay);
    } else if (key == "tool_call") {
      auto call = tool_call_from_json(value, error);
      if (!call) return std::nullopt;
      b.tool_call = std::move(*call);
    } else if (key == "latency_ms" || key == "chunk_delay_ms" || key == "retry_after") {
      const auto n = non_negative(value);
      if (!n) {
        // Built by appending: GCC 12 -O3 reports a false -Wrestrict when a short literal is
        // assigned or prepended to a string (GCC PR105329).
        std::string message(1, '\'');
        message += key;
        message += "' must be a non-negative number";
        error = std::move(message);
        return std::nullopt;
      }
      std::int64_t& field = key == "latency_ms"       ? b.latency_ms
                            : key == "chunk_delay_ms" ? b.chunk_delay_ms
                                                      : b.retry_after_seconds;
      field = *n;
    } else {
      error = "unknown field '" + std::string(key) +
              "' (fault, script, reply, tool_call, latency_ms, chunk_delay_ms, retry_after, path_prefix, echo_credential, replay)";
      return std::nullopt;
    }
  }
  return b;
}

}  // namespace switchyard::mock
