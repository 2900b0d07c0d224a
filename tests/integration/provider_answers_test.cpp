// Real provider success answers (tests/data/provider_answers.yaml, each with its source) replayed
// verbatim by the mock (`replay:`) through the real gateway, read by every client format:
// OpenAI chat, Anthropic messages and Responses, streamed when the answer is a stream. Each client
// must get a well-formed answer in its own format with the answer's text, tool call, finish
// reason and usage: nothing silently dropped, no 5xx. One mock and one gateway serve every case
// (a PUT of the replay before each one); the gateway has one group per provider.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <map>
#include <set>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kBedrockModel = "anthropic.claude-sonnet-4-5-20250929-v1:0";

// Provider (as the data file names it) → the group's model_list entry; the upstream model name
// the mock sees is the PUT target.
struct ProviderDeployment {
  std::string provider;
  std::string upstream_model;  // what the mock looks the behaviour up by
  std::string litellm_params;  // $BASE replaced
};

const std::vector<ProviderDeployment>& deployments() {
  static const std::vector<ProviderDeployment> d{
      {"anthropic", "replay-anthropic", "{model: anthropic/replay-anthropic, api_base: '$BASE', api_key: sk-ant-x}"},
      {"openai", "replay-openai", "{model: openai/replay-openai, api_base: '$BASE/v1', api_key: sk-x}"},
      {"azure", "replay-azure", "{model: azure/replay-azure, api_base: '$BASE', api_key: az-x, api_version: '2024-10-21'}"},
      {"databricks", "replay-databricks",
       "{model: databricks/replay-databricks, api_base: '$BASE/serving-endpoints', api_key: dapi-x}"},
      {"openai_compatible", "replay-compatible",
       "{model: openai_compatible/replay-compatible, api_base: '$BASE/v1', api_key: sk-x}"},
      {"gemini", "replay-gemini", "{model: gemini/replay-gemini, api_base: '$BASE', api_key: gemini-key}"},
      {"vertex_gemini", "gemini-replay",
       "{model: vertex_ai/gemini-replay, api_base: '$BASE', api_key: ya29.token, vertex_project: p, vertex_location: us-central1}"},
      {"vertex_anthropic", "claude-replay",
       "{model: vertex_ai/claude-replay, api_base: '$BASE', api_key: ya29.token, vertex_project: p, vertex_location: us-east5}"},
      {"bedrock", std::string(kBedrockModel),
       "{model: 'bedrock/converse/" + std::string(kBedrockModel) +
           "', api_base: '$BASE', aws_region_name: us-east-1, aws_access_key_id: AKIDREPLAY, aws_secret_access_key: replay-secret}"},
  };
  return d;
}

const ProviderDeployment* deployment_for(const std::string& provider) {
  for (const auto& d : deployments())
    if (d.provider == provider) return &d;
  return nullptr;
}

struct Usage {
  std::int64_t input = -1, output = -1;
};

struct Expected {
  std::string text;
  std::optional<std::string> thinking;  // reasoning every client must get (Responses: a reasoning item)
  std::optional<std::string> refusal;   // OpenAI message.refusal / Responses refusal part / Anthropic text
  std::optional<std::string> tool_name;
  json::value tool_arguments;  // an object, compared as JSON
  std::map<std::string, std::string> finish;  // client format → finish_reason / stop_reason / status
  std::optional<Usage> usage;  // absent: the answer carries none, nothing to check
  std::map<std::string, Usage> usage_by_client;  // overrides (Anthropic counts cached input apart)
  std::vector<std::string> clients{"openai", "anthropic", "responses"};
  // The gateway deliberately does not call the body an answer (a Gemini blocked prompt): every
  // client gets this status and error class, in its own error format.
  std::optional<std::pair<int, std::string>> error;
};

struct Case {
  std::string id, source, provider;
  bool stream = false;
  std::string content_type, body;
  Expected expect;
};

json::value yaml_to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    json::object o;
    for (const auto& kv : node) o[kv.first.Scalar()] = yaml_to_json(kv.second);
    return o;
  }
  if (node.IsSequence()) {
    json::array a;
    for (const auto& item : node) a.push_back(yaml_to_json(item));
    return a;
  }
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return json::value(s);
  if (s == "true") return true;
  if (s == "false") return false;
  if (s == "null") return nullptr;
  boost::system::error_code ec;
  auto n = json::parse(s, ec);
  if (!ec && n.is_number()) return n;
  return json::value(s);
}

Usage read_usage(const YAML::Node& n) { return {n["input"].as<std::int64_t>(), n["output"].as<std::int64_t>()}; }

std::vector<Case> load_cases() {
  const auto root = YAML::LoadFile((data_dir() / "provider_answers.yaml").string());
  std::vector<Case> cases;
  for (const auto& n : root["answers"]) {
    Case c;
    c.id = n["id"].as<std::string>();
    c.source = n["source"].as<std::string>();
    c.provider = n["provider"].as<std::string>();
    c.stream = n["stream"].as<bool>();
    c.content_type = n["content_type"] ? n["content_type"].as<std::string>()
                                       : std::string(c.stream ? "text/event-stream" : "application/json");
    c.body = n["body"].as<std::string>();
    const auto e = n["expect"];
    if (e["text"]) c.expect.text = e["text"].as<std::string>();
    if (e["thinking"]) c.expect.thinking = e["thinking"].as<std::string>();
    if (e["refusal"]) c.expect.refusal = e["refusal"].as<std::string>();
    if (e["tool"]) {
      c.expect.tool_name = e["tool"]["name"].as<std::string>();
      c.expect.tool_arguments = yaml_to_json(e["tool"]["arguments"]);
    }
    for (const auto& kv : e["finish"]) c.expect.finish[kv.first.Scalar()] = kv.second.as<std::string>();
    if (e["usage"]) c.expect.usage = read_usage(e["usage"]);
    if (e["usage_by_client"])
      for (const auto& kv : e["usage_by_client"]) c.expect.usage_by_client[kv.first.Scalar()] = read_usage(kv.second);
    if (e["error"]) c.expect.error = {{e["error"]["status"].as<int>(), e["error"]["class"].as<std::string>()}};
    if (e["clients"]) c.expect.clients = e["clients"].as<std::vector<std::string>>();
    cases.push_back(std::move(c));
  }
  return cases;
}

// What a client read out of an answer in its own format.
struct Seen {
  std::string text, thinking, refusal;
  std::optional<std::string> tool_name;
  std::string tool_arguments;  // JSON text as the client got it
  std::string finish;
  Usage usage;
  std::vector<std::string> problems;  // malformed pieces
};

std::string str(const json::value* v) { return v && v->is_string() ? std::string(v->get_string()) : std::string(); }
std::int64_t num(const json::value* v) { return v && v->is_number() ? v->to_number<std::int64_t>() : -1; }
const json::value* at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (const auto key : path) {
    const auto* o = cur->if_object();
    if (!o) return nullptr;
    cur = o->if_contains(key);
    if (!cur) return nullptr;
  }
  return cur;
}

json::value parse_or_note(std::string_view text, Seen& seen) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) seen.problems.push_back("not JSON: " + std::string(text.substr(0, 200)));
  return v;
}

Seen read_openai(const std::string& body, bool stream) {
  Seen s;
  const auto take_usage = [&s](const json::value& u) {
    s.usage = {num(at(u, {"prompt_tokens"})), num(at(u, {"completion_tokens"}))};
  };
  if (!stream) {
    const auto v = parse_or_note(body, s);
    const auto* choices = at(v, {"choices"});
    if (!choices || !choices->is_array() || choices->get_array().empty()) {
      s.problems.push_back("no choices");
      return s;
    }
    const auto& c = choices->get_array()[0];
    s.text = str(at(c, {"message", "content"}));
    // reasoning_content (DeepSeek, LiteLLM), else reasoning (OpenRouter, Groq, Ollama, vLLM >= 0.10).
    s.thinking = str(at(c, {"message", "reasoning_content"}));
    if (s.thinking.empty()) s.thinking = str(at(c, {"message", "reasoning"}));
    s.refusal = str(at(c, {"message", "refusal"}));
    if (const auto* calls = at(c, {"message", "tool_calls"}); calls && calls->is_array() && !calls->get_array().empty()) {
      s.tool_name = str(at(calls->get_array()[0], {"function", "name"}));
      s.tool_arguments = str(at(calls->get_array()[0], {"function", "arguments"}));
    }
    s.finish = str(at(c, {"finish_reason"}));
    if (const auto* u = at(v, {"usage"})) take_usage(*u);
    return s;
  }
  bool done = false;
  for (const auto& e : parse_sse(body)) {
    if (e.data == "[DONE]") {
      done = true;
      continue;
    }
    const auto v = parse_or_note(e.data, s);
    if (at(v, {"error"})) s.problems.push_back("error event: " + e.data);
    if (const auto* u = at(v, {"usage"}); u && u->is_object()) take_usage(*u);
    const auto* choices = at(v, {"choices"});
    if (!choices || !choices->is_array()) {
      s.problems.push_back("chunk without choices: " + e.data);
      continue;
    }
    for (const auto& c : choices->get_array()) {
      s.text += str(at(c, {"delta", "content"}));
      s.thinking += str(at(c, {"delta", "reasoning_content"}));
      s.thinking += str(at(c, {"delta", "reasoning"}));
      s.refusal += str(at(c, {"delta", "refusal"}));
      if (const auto* calls = at(c, {"delta", "tool_calls"}); calls && calls->is_array())
        for (const auto& call : calls->get_array()) {
          if (const auto* n = at(call, {"function", "name"}); n && n->is_string()) s.tool_name = str(n);
          s.tool_arguments += str(at(call, {"function", "arguments"}));
        }
      if (const auto f = str(at(c, {"finish_reason"})); !f.empty()) s.finish = f;
    }
  }
  if (!done) s.problems.push_back("stream without [DONE]");
  if (!s.tool_arguments.empty() && !s.tool_name) s.problems.push_back("tool-call arguments without a named call");
  return s;
}

Seen read_anthropic(const std::string& body, bool stream) {
  Seen s;
  if (!stream) {
    const auto v = parse_or_note(body, s);
    if (const auto* t = at(v, {"type"}); t && str(t) != "message") s.problems.push_back("type is not message");
    if (const auto* content = at(v, {"content"}); content && content->is_array())
      for (const auto& b : content->get_array()) {
        const auto type = str(at(b, {"type"}));
        if (type == "text") s.text += str(at(b, {"text"}));
        else if (type == "thinking") s.thinking += str(at(b, {"thinking"}));
        else if (type == "tool_use" && !s.tool_name) {
          s.tool_name = str(at(b, {"name"}));
          if (const auto* in = at(b, {"input"})) s.tool_arguments = json::serialize(*in);
        }
      }
    else s.problems.push_back("no content array");
    s.finish = str(at(v, {"stop_reason"}));
    s.usage = {num(at(v, {"usage", "input_tokens"})), num(at(v, {"usage", "output_tokens"}))};
    return s;
  }
  bool stopped = false, in_tool = false, tool_seen = false;
  for (const auto& e : parse_sse(body)) {
    const auto v = parse_or_note(e.data, s);
    const auto type = str(at(v, {"type"}));
    if (type != e.event) s.problems.push_back("event name " + e.event + " != type " + type);
    if (type == "error") s.problems.push_back("error event: " + e.data);
    if (type == "message_start") {
      s.usage.input = num(at(v, {"message", "usage", "input_tokens"}));
    } else if (type == "content_block_start") {
      const auto* block = at(v, {"content_block"});
      in_tool = block && str(at(*block, {"type"})) == "tool_use" && !tool_seen;
      if (in_tool) {
        s.tool_name = str(at(*block, {"name"}));
        tool_seen = true;
      }
      if (block) s.text += str(at(*block, {"text"}));
    } else if (type == "content_block_delta") {
      const auto dtype = str(at(v, {"delta", "type"}));
      if (dtype == "text_delta") s.text += str(at(v, {"delta", "text"}));
      else if (dtype == "thinking_delta") s.thinking += str(at(v, {"delta", "thinking"}));
      else if (dtype == "input_json_delta" && in_tool) s.tool_arguments += str(at(v, {"delta", "partial_json"}));
    } else if (type == "message_delta") {
      if (const auto f = str(at(v, {"delta", "stop_reason"})); !f.empty()) s.finish = f;
      if (const auto n = num(at(v, {"usage", "output_tokens"})); n >= 0) s.usage.output = n;
      if (const auto n = num(at(v, {"usage", "input_tokens"})); n > 0) s.usage.input = n;
    } else if (type == "message_stop") {
      stopped = true;
    }
  }
  if (!stopped) s.problems.push_back("stream without message_stop");
  return s;
}

void read_response_object(const json::value& r, Seen& s, bool take_text) {
  if (const auto* output = at(r, {"output"}); output && output->is_array())
    for (const auto& item : output->get_array()) {
      const auto type = str(at(item, {"type"}));
      if (type == "message" && take_text) {
        if (const auto* content = at(item, {"content"}); content && content->is_array()) {
          for (const auto& part : content->get_array()) {
            if (str(at(part, {"type"})) == "output_text") s.text += str(at(part, {"text"}));
            else if (str(at(part, {"type"})) == "refusal") s.refusal += str(at(part, {"refusal"}));
          }
        }
      } else if (type == "reasoning") {  // the provider's thinking: one summary_text (ARCHITECTURE)
        if (const auto* summary = at(item, {"summary"}); summary && summary->is_array())
          for (const auto& part : summary->get_array()) s.thinking += str(at(part, {"text"}));
      } else if (type == "function_call" && !s.tool_name) {
        s.tool_name = str(at(item, {"name"}));
        if (s.tool_name->empty()) s.problems.push_back("function_call without a name");
        s.tool_arguments = str(at(item, {"arguments"}));
      }
    }
  else s.problems.push_back("response without output");
  s.finish = str(at(r, {"status"}));
  s.usage = {num(at(r, {"usage", "input_tokens"})), num(at(r, {"usage", "output_tokens"}))};
}

Seen read_responses(const std::string& body, bool stream) {
  Seen s;
  if (!stream) {
    read_response_object(parse_or_note(body, s), s, true);
    return s;
  }
  std::string deltas;
  bool ended = false;
  for (const auto& e : parse_sse(body)) {
    const auto v = parse_or_note(e.data, s);
    const auto type = str(at(v, {"type"}));
    if (type == "response.output_text.delta") deltas += str(at(v, {"delta"}));
    if (type == "response.failed" || type == "error") s.problems.push_back("failure event: " + e.data);
    if (type == "response.completed" || type == "response.incomplete") {
      ended = true;
      if (const auto* r = at(v, {"response"})) read_response_object(*r, s, true);
    }
  }
  if (!ended) s.problems.push_back("stream without response.completed/incomplete");
  if (ended && deltas != s.text) s.problems.push_back("deltas '" + deltas + "' != final text '" + s.text + "'");
  return s;
}

struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;
  Stack() {
    mock = start_mock("models: {}\n");
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    const std::string base = "http://127.0.0.1:" + std::to_string(mock.port);
    std::string cfg = "model_list:\n";
    for (const auto& d : deployments()) {
      std::string params = d.litellm_params;
      for (auto p = params.find("$BASE"); p != std::string::npos; p = params.find("$BASE", p + base.size()))
        params.replace(p, 5, base);
      cfg += "  - {model_name: " + d.provider + ", litellm_params: " + params + "}\n";
    }
    cfg += "router_settings: {num_retries: 0}\n";
    auto started = start_gateway(cfg, {"--threads", "1"});
    gateway = std::move(started.process);
    port = started.port;
  }

  void replay(const Case& c) const {
    const auto* d = deployment_for(c.provider);
    const json::object behaviour{
        {"replay", {{"status", 200}, {"content_type", c.content_type}, {"body", c.body}}}};
    const auto r = request(mock.port, "PUT", "/mock/models/" + d->upstream_model, json::serialize(behaviour));
    if (r.status != 200) throw std::runtime_error("mock refused the replay: " + r.body);
  }

  HttpResult ask(const std::string& client, const Case& c) const {
    json::object body{{"model", c.provider}, {"stream", c.stream}};
    if (client == "openai" || client == "anthropic") {
      body["messages"] = json::array{json::object{{"role", "user"}, {"content", "What is the weather in Paris?"}}};
    } else {
      body["input"] = "What is the weather in Paris?";
      body["store"] = false;
    }
    if (c.expect.tool_name) {
      const json::object schema{{"type", "object"}, {"properties", json::object{}}};
      if (client == "openai")
        body["tools"] = json::array{json::object{
            {"type", "function"},
            {"function", json::object{{"name", *c.expect.tool_name}, {"parameters", schema}}}}};
      else if (client == "anthropic")
        body["tools"] = json::array{json::object{{"name", *c.expect.tool_name}, {"input_schema", schema}}};
      else
        body["tools"] = json::array{json::object{{"type", "function"}, {"name", *c.expect.tool_name}, {"parameters", schema}}};
    }
    if (client == "openai") {
      if (c.stream) body["stream_options"] = json::object{{"include_usage", true}};
      return request(port, "POST", "/v1/chat/completions", json::serialize(body));
    }
    if (client == "anthropic") {
      body["max_tokens"] = 1024;
      return request(port, "POST", "/v1/messages", json::serialize(body), {{"anthropic-version", "2023-06-01"}});
    }
    return request(port, "POST", "/v1/responses", json::serialize(body));
  }
};

bool same_json(const std::string& got, const json::value& want) {
  boost::system::error_code ec;
  const auto v = json::parse(got.empty() ? std::string("{}") : got, ec);
  return !ec && v == want;
}

TEST(ProviderAnswers, EveryRealAnswerReachesEveryClientFormatWhole) {
  const auto cases = load_cases();
  ASSERT_GE(cases.size(), 25u);
  std::set<std::string> ids;
  Stack s;
  int checked = 0;
  // SWITCHYARD_ANSWER_CASE=<substring>: only the matching cases (debugging one answer).
  const char* only = std::getenv("SWITCHYARD_ANSWER_CASE");
  const std::string filter = only ? only : "";
  for (const auto& c : cases) {
    if (!filter.empty() && c.id.find(filter) == std::string::npos) continue;
    ASSERT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
    ASSERT_NE(deployment_for(c.provider), nullptr) << c.id << ": unknown provider " << c.provider;
    ASSERT_FALSE(c.source.empty()) << c.id;
    s.replay(c);
    for (const auto& client : c.expect.clients) {
      // OpenAI and Azure serve Responses clients from their own Responses API (passthrough): a
      // chat completion is not an answer there.
      if (client == "responses" && (c.provider == "openai" || c.provider == "azure")) continue;
      SCOPED_TRACE(c.id + " → " + client + (c.stream ? " (stream)" : ""));
      const auto r = s.ask(client, c);
      if (c.expect.error) {
        EXPECT_EQ(r.status, c.expect.error->first) << r.body;
        EXPECT_EQ(r.header("x-switchyard-error-class"), c.expect.error->second) << r.body;
        boost::system::error_code ec;
        const auto err = json::parse(r.body, ec);
        EXPECT_FALSE(ec) << r.body;
        // Anthropic: {type: error, error: {type, message}}; OpenAI and Responses: {error: {message, type}}.
        if (!ec) {
          EXPECT_FALSE(str(at(err, {"error", "message"})).empty()) << r.body;
          if (client == "anthropic") {
            EXPECT_EQ(str(at(err, {"type"})), "error") << r.body;
          }
        }
        ++checked;
        request(s.port, "POST", "/admin/cooldowns/clear");
        continue;
      }
      if (r.status != 200) {
        ADD_FAILURE() << "status " << r.status << ": " << r.body;
        continue;
      }
      Seen seen;
      if (client == "openai") seen = read_openai(r.body, c.stream);
      else if (client == "anthropic") seen = read_anthropic(r.body, c.stream);
      else seen = read_responses(r.body, c.stream);
      for (const auto& p : seen.problems) ADD_FAILURE() << p << "\nbody: " << r.body;
      // Anthropic has no refusal field: a refusal is the answer's text there.
      const std::string want_text = c.expect.refusal && client == "anthropic" ? c.expect.text + *c.expect.refusal : c.expect.text;
      EXPECT_EQ(seen.text, want_text) << r.body;
      if (c.expect.refusal && client != "anthropic") {
        EXPECT_EQ(seen.refusal, *c.expect.refusal) << r.body;
      }
      if (c.expect.thinking) {
        EXPECT_EQ(seen.thinking, *c.expect.thinking) << r.body;
      }
      if (c.expect.tool_name) {
        EXPECT_EQ(seen.tool_name.value_or("<none>"), *c.expect.tool_name) << r.body;
        EXPECT_TRUE(same_json(seen.tool_arguments, c.expect.tool_arguments))
            << "arguments " << seen.tool_arguments << " want " << json::serialize(c.expect.tool_arguments) << "\n" << r.body;
      } else {
        EXPECT_FALSE(seen.tool_name) << r.body;
      }
      if (const auto f = c.expect.finish.find(client); f != c.expect.finish.end()) EXPECT_EQ(seen.finish, f->second) << r.body;
      else ADD_FAILURE() << "the case names no finish for " << client;
      std::optional<Usage> u = c.expect.usage;
      if (c.expect.usage_by_client.contains(client)) u = c.expect.usage_by_client.at(client);
      if (u) {
        EXPECT_EQ(seen.usage.input, u->input) << "input tokens\n" << r.body;
        EXPECT_EQ(seen.usage.output, u->output) << "output tokens\n" << r.body;
      }
      ++checked;
      // A failed case must not cool the group down for the next ones.
      if (::testing::Test::HasFailure()) request(s.port, "POST", "/admin/cooldowns/clear");
    }
  }
  if (filter.empty()) {
    EXPECT_GT(checked, 70);
  }
}

}  // namespace
}  // namespace switchyard::testing
