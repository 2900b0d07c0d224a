#include "mock/embeddings_wire.h"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>
#include <cstring>

#include "mock/wire.h"

namespace switchyard::mock {
namespace json = boost::json;
namespace {

constexpr std::int64_t kMaxDimensions = 4096;

std::string between(std::string_view path, std::string_view marker, std::string_view end) {
  const auto at = path.find(marker);
  if (at == std::string_view::npos) return {};
  auto rest = path.substr(at + marker.size());
  return percent_decode(rest.substr(0, rest.find(end)));
}

std::string base64_of(const std::vector<float>& v) {
  std::string bytes(v.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());
  std::string out(boost::beast::detail::base64::encoded_size(bytes.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

json::array numbers(const std::vector<float>& v) {
  json::array a;
  for (const float x : v) a.push_back(static_cast<double>(x));
  return a;
}

std::int64_t tokens(const std::vector<std::string>& texts) {
  std::int64_t n = 0;
  for (const auto& t : texts) n += count_words(t);
  return n;
}

}  // namespace

std::optional<EmbeddingRoute> embedding_route(std::string_view path) {
  EmbeddingRoute r;
  if (path.ends_with("/embeddings")) return r;
  if (path.ends_with(":batchEmbedContents")) {
    r.api = EmbeddingApi::gemini;
    r.url_model = between(path, "/models/", ":");
    r.errors = WireFormat::gemini;
    r.auth = CloudRoute{CloudApi::gemini, r.url_model, false, WireFormat::gemini};
    return r;
  }
  if (path.ends_with(":predict") && path.find("/publishers/google/models/") != std::string_view::npos) {
    r.api = EmbeddingApi::vertex;
    r.url_model = between(path, "/publishers/google/models/", ":");
    r.errors = WireFormat::vertex_gemini;
    r.auth = CloudRoute{CloudApi::vertex_gemini, r.url_model, false, WireFormat::vertex_gemini};
    return r;
  }
  if (path.ends_with("/invoke") && path.find("/model/") != std::string_view::npos) {
    r.api = EmbeddingApi::bedrock;
    r.url_model = between(path, "/model/", "/");
    r.errors = WireFormat::bedrock;
    r.auth = CloudRoute{CloudApi::bedrock, r.url_model, false, WireFormat::bedrock};
    return r;
  }
  return std::nullopt;
}

std::optional<EmbeddingCall> parse_embedding_call(const EmbeddingRoute& route, std::string_view body, std::string& error) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    error = "the request body is not a JSON object";
    return std::nullopt;
  }
  const auto& o = parsed.get_object();
  EmbeddingCall call;
  call.model = route.url_model;
  const auto dims = [&](const json::value* d) {
    if (d && d->is_int64() && d->get_int64() > 0 && d->get_int64() <= kMaxDimensions) call.dimensions = d->get_int64();
  };
  switch (route.api) {
    case EmbeddingApi::openai: {
      if (const auto* m = o.if_contains("model"); m && m->is_string()) call.model = m->get_string();
      const auto* input = o.if_contains("input");
      if (input && input->is_string()) call.texts.emplace_back(input->get_string());
      else if (input && input->is_array())
        for (const auto& v : input->get_array()) call.texts.push_back(v.is_string() ? std::string(v.get_string()) : json::serialize(v));
      dims(o.if_contains("dimensions"));
      if (const auto* f = o.if_contains("encoding_format"); f && f->is_string()) call.base64 = f->get_string() == "base64";
      break;
    }
    case EmbeddingApi::gemini:
      if (const auto* reqs = o.if_contains("requests"); reqs && reqs->is_array())
        for (const auto& r : reqs->get_array()) {
          const auto* ro = r.if_object();
          if (!ro) continue;
          dims(ro->if_contains("outputDimensionality"));
          const auto* content = ro->if_contains("content");
          std::string text;
          if (content && content->is_object())
            if (const auto* parts = content->get_object().if_contains("parts"); parts && parts->is_array())
              for (const auto& p : parts->get_array())
                if (const auto* t = p.is_object() ? p.get_object().if_contains("text") : nullptr; t && t->is_string())
                  text += t->get_string();
          call.texts.push_back(std::move(text));
        }
      break;
    case EmbeddingApi::vertex:
      if (const auto* inst = o.if_contains("instances"); inst && inst->is_array())
        for (const auto& i : inst->get_array())
          if (const auto* c = i.is_object() ? i.get_object().if_contains("content") : nullptr; c && c->is_string())
            call.texts.emplace_back(c->get_string());
      if (const auto* p = o.if_contains("parameters"); p && p->is_object()) dims(p->get_object().if_contains("outputDimensionality"));
      break;
    case EmbeddingApi::bedrock:
      if (const auto* t = o.if_contains("inputText"); t && t->is_string()) {
        call.texts.emplace_back(t->get_string());
        dims(o.if_contains("dimensions"));
      } else if (const auto* list = o.if_contains("texts"); list && list->is_array()) {
        call.cohere = true;
        for (const auto& text : list->get_array())
          if (text.is_string()) call.texts.emplace_back(text.get_string());
      }
      break;
  }
  if (call.model.empty()) {
    error = "model: field required";
    return std::nullopt;
  }
  if (call.texts.empty()) {
    error = route.api == EmbeddingApi::bedrock ? "Malformed input request: expected inputText or texts"
                                               : "input: at least one text is required";
    return std::nullopt;
  }
  return call;
}

std::vector<float> mock_embedding(std::string_view text, std::int64_t dimensions) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (const unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  std::vector<float> v(static_cast<std::size_t>(dimensions));
  for (auto& x : v) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    x = static_cast<float>(static_cast<double>(h >> 40) / static_cast<double>(1ULL << 23) - 1.0);
  }
  return v;
}

std::string embedding_answer(const EmbeddingRoute& route, const EmbeddingCall& call) {
  std::vector<std::vector<float>> vectors;
  for (const auto& t : call.texts) vectors.push_back(mock_embedding(t, call.dimensions));
  const auto n = tokens(call.texts);
  switch (route.api) {
    case EmbeddingApi::openai: {
      json::array data;
      for (std::size_t i = 0; i < vectors.size(); ++i) {
        json::value e = call.base64 ? json::value(json::string(base64_of(vectors[i]))) : json::value(numbers(vectors[i]));
        data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", std::move(e)}});
      }
      return json::serialize(json::object{{"object", "list"}, {"data", std::move(data)}, {"model", call.model},
                                          {"usage", {{"prompt_tokens", n}, {"total_tokens", n}}}});
    }
    case EmbeddingApi::gemini: {
      json::array list;
      for (const auto& v : vectors) list.push_back(json::object{{"values", numbers(v)}});
      return json::serialize(json::object{{"embeddings", std::move(list)}});
    }
    case EmbeddingApi::vertex: {
      json::array predictions;
      for (std::size_t i = 0; i < vectors.size(); ++i)
        predictions.push_back(json::object{{"embeddings", {{"values", numbers(vectors[i])},
                                               {"statistics", {{"truncated", false}, {"token_count", count_words(call.texts[i])}}}}}});
      return json::serialize(json::object{{"predictions", std::move(predictions)}, {"metadata", {{"billableCharacterCount", n}}}});
    }
    case EmbeddingApi::bedrock: {
      if (call.cohere) {
        json::array list;
        for (const auto& v : vectors) list.push_back(numbers(v));
        json::array texts;
        for (const auto& t : call.texts) texts.push_back(json::string(t));
        return json::serialize(json::object{{"id", "emb-mock"}, {"embeddings", std::move(list)}, {"texts", std::move(texts)},
                                            {"response_type", "embeddings_floats"}});
      }
      return json::serialize(json::object{{"embedding", numbers(vectors.front())}, {"inputTextTokenCount", n}});
    }
  }
  return "{}";
}

}  // namespace switchyard::mock
