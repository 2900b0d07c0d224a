#include "chat_client.h"

#include <gtest/gtest.h>

namespace switchyard::testing {
namespace json = boost::json;

std::string name(Client c) { return c == Client::openai ? "openai" : "anthropic"; }
std::string path(Client c) { return c == Client::openai ? "/v1/chat/completions" : "/v1/messages"; }

std::string chat_body(Client c, const std::string& model, bool stream, json::object extra) {
  json::object o{{"model", model}, {"messages", json::array{json::object{{"role", "user"}, {"content", "Hello there"}}}}};
  if (c == Client::anthropic) o["max_tokens"] = 64;
  if (stream) o["stream"] = true;
  if (stream && c == Client::openai) o["stream_options"] = {{"include_usage", true}};
  for (auto& [k, v] : extra) o[k] = v;
  return json::serialize(o);
}

HttpResult post_chat(std::uint16_t port, Client c, const std::string& body) {
  Headers headers;
  if (c == Client::anthropic) headers.emplace_back("anthropic-version", "2023-06-01");
  return request(port, "POST", path(c), body, headers);
}

Streamed read_stream(Client c, const HttpResult& r) {
  Streamed out;
  out.events = parse_sse(r.body);
  for (std::size_t i = 0; i < out.events.size(); ++i) {
    const auto& e = out.events[i];
    SCOPED_TRACE("event " + std::to_string(i) + ": " + e.event + " " + e.data);
    if (e.data == "[DONE]") {
      EXPECT_EQ(c, Client::openai);
      out.done = true;
      continue;
    }
    boost::system::error_code ec;
    const auto parsed = json::parse(e.data, ec);
    EXPECT_FALSE(ec) << "not JSON";
    if (ec || !parsed.is_object()) continue;
    const auto& o = parsed.get_object();
    if (c == Client::openai) {
      EXPECT_TRUE(e.event.empty());
      if (const auto* err = o.if_contains("error")) {
        out.error = err->as_object();
        out.error_is_last = i + 1 == out.events.size();
        continue;
      }
      EXPECT_EQ(o.at("object"), "chat.completion.chunk");
      for (const auto& choice : o.at("choices").as_array()) {
        const auto& delta = choice.at("delta").as_object();
        if (const auto* t = delta.if_contains("content"); t && t->is_string()) out.text += t->get_string();
        if (const auto* calls = delta.if_contains("tool_calls"))
          for (const auto& tc : calls->as_array()) {
            const auto& call = tc.as_object();
            EXPECT_EQ(call.at("index").to_number<int>(), 0);
            if (const auto* id = call.if_contains("id"); id && id->is_string()) {
              ++out.tool_calls;
              out.tool_id = id->get_string();
              EXPECT_EQ(call.at("type"), "function");
            }
            if (const auto* fn = call.if_contains("function")) {
              if (const auto* n = fn->as_object().if_contains("name"); n && n->is_string()) out.tool_name += n->get_string();
              if (const auto* a = fn->as_object().if_contains("arguments"); a && a->is_string())
                out.tool_arguments += a->get_string();
            }
          }
        if (const auto& f = choice.at("finish_reason"); f.is_string()) out.finish = f.get_string();
      }
    } else {
      const std::string type(o.at("type").as_string());
      EXPECT_EQ(type, e.event);  // Anthropic names every event after its data's type
      if (type == "error") {
        out.error = o.at("error").as_object();
        out.error_is_last = i + 1 == out.events.size();
      } else if (type == "content_block_start") {
        const auto& block = o.at("content_block").as_object();
        if (block.at("type") == "tool_use") {
          ++out.tool_calls;
          out.tool_id = block.at("id").as_string();
          out.tool_name = block.at("name").as_string();
        }
      } else if (type == "content_block_delta") {
        const auto& delta = o.at("delta").as_object();
        if (delta.at("type") == "text_delta") out.text += delta.at("text").as_string();
        if (delta.at("type") == "input_json_delta") out.tool_arguments += delta.at("partial_json").as_string();
      } else if (type == "message_delta") {
        if (const auto& stop = o.at("delta").at("stop_reason"); stop.is_string()) out.finish = stop.get_string();
      } else if (type == "message_stop") {
        out.done = true;
      }
    }
  }
  if (c == Client::anthropic && !out.events.empty()) {
    EXPECT_EQ(out.events.front().event, "message_start");
  }
  return out;
}

}  // namespace switchyard::testing
