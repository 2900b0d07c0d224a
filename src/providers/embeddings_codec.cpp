#include "providers/embeddings_codec.h"

#include <boost/beast/core/detail/base64.hpp>
#include <cstring>

#include "providers/json_fields.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {
using json_fields::array_at;
using json_fields::integer;
using json_fields::object_at;
using json_fields::str;

EmbeddingsRefusal refuse(std::string message) { return EmbeddingsRefusal{std::move(message)}; }

// The inputs as texts; token-id inputs ([1,2,3] or [[1,2],[3]]) only OpenAI-format servers read.
std::variant<std::vector<std::string>, EmbeddingsRefusal> texts_of(const json::object& body) {
  const auto* input = body.if_contains("input");
  std::vector<std::string> texts;
  if (input && input->is_string()) {
    texts.emplace_back(input->get_string());
    return texts;
  }
  if (!input || !input->is_array() || input->get_array().empty())
    return refuse("'input' must be a string or a non-empty array of strings");
  for (const auto& v : input->get_array()) {
    if (!v.is_string()) return refuse("token-id inputs are only carried to OpenAI-format embeddings servers; send strings");
    texts.emplace_back(v.get_string());
  }
  return texts;
}

std::vector<double> numbers(const json::array& values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(v.is_number() ? v.to_number<double>() : 0.0);
  return out;
}

std::string base64_floats(const std::vector<double>& vector) {
  std::string bytes(vector.size() * sizeof(float), '\0');
  for (std::size_t i = 0; i < vector.size(); ++i) {
    const auto f = static_cast<float>(vector[i]);
    std::memcpy(bytes.data() + i * sizeof(float), &f, sizeof(float));  // x86/ARM: little-endian, as OpenAI's
  }
  std::string out(boost::beast::detail::base64::encoded_size(bytes.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

}  // namespace

EmbeddingsDialect embeddings_dialect(core::Provider provider, std::string_view model) {
  using P = core::Provider;
  if (provider == P::gemini) return EmbeddingsDialect::gemini;
  if (provider == P::vertex_ai) return EmbeddingsDialect::vertex;
  if (provider == P::bedrock)
    return model.find("cohere.") != std::string_view::npos ? EmbeddingsDialect::bedrock_cohere
                                                           : EmbeddingsDialect::bedrock_titan;
  return EmbeddingsDialect::openai;
}

std::variant<std::vector<json::object>, EmbeddingsRefusal> embeddings_requests(EmbeddingsDialect dialect,
                                                                               const json::object& openai,
                                                                               std::string_view model) {
  std::vector<json::object> out;
  if (dialect == EmbeddingsDialect::openai) {
    json::object body = openai;
    body["model"] = model;
    out.push_back(std::move(body));
    return out;
  }
  auto listed = texts_of(openai);
  if (auto* r = std::get_if<EmbeddingsRefusal>(&listed)) return *r;
  const auto& texts = std::get<std::vector<std::string>>(listed);
  const auto dimensions = integer(openai, "dimensions");
  switch (dialect) {
    case EmbeddingsDialect::gemini: {
      json::array requests;
      for (const auto& t : texts) {
        json::object r{{"model", "models/" + std::string(model)}, {"content", {{"parts", json::array{{{"text", t}}}}}}};
        if (dimensions > 0) r["outputDimensionality"] = dimensions;
        requests.push_back(std::move(r));
      }
      out.push_back({{"requests", std::move(requests)}});
      break;
    }
    case EmbeddingsDialect::vertex: {
      json::array instances;
      for (const auto& t : texts) instances.push_back(json::object{{"content", t}});
      json::object body{{"instances", std::move(instances)}};
      if (dimensions > 0) body["parameters"] = {{"outputDimensionality", dimensions}};
      out.push_back(std::move(body));
      break;
    }
    case EmbeddingsDialect::bedrock_titan:
      for (const auto& t : texts) {
        json::object body{{"inputText", t}};
        if (dimensions > 0) body["dimensions"] = dimensions;
        out.push_back(std::move(body));
      }
      break;
    case EmbeddingsDialect::bedrock_cohere: {
      if (dimensions > 0) return refuse("'dimensions' is not supported by Cohere embedding models on Bedrock");
      json::array list;
      for (const auto& t : texts) list.push_back(json::string(t));
      out.push_back({{"texts", std::move(list)}, {"input_type", "search_document"}});
      break;
    }
    case EmbeddingsDialect::openai:
      break;
  }
  return out;
}

bool read_embeddings(EmbeddingsDialect dialect, const json::object& answer, Embeddings& out) {
  switch (dialect) {
    case EmbeddingsDialect::openai: {
      const auto* data = array_at(answer, "data");
      if (!data) return false;
      for (const auto& d : *data) {
        const auto* e = d.is_object() ? array_at(d.get_object(), "embedding") : nullptr;
        if (!e) return false;  // base64 answers are passed through, not read
        out.vectors.push_back(numbers(*e));
      }
      if (const auto* u = object_at(answer, "usage")) out.prompt_tokens += integer(*u, "prompt_tokens");
      return true;
    }
    case EmbeddingsDialect::gemini: {
      const auto* list = array_at(answer, "embeddings");
      if (!list) return false;
      for (const auto& e : *list) {
        const auto* values = e.is_object() ? array_at(e.get_object(), "values") : nullptr;
        if (!values) return false;
        out.vectors.push_back(numbers(*values));
      }
      return true;
    }
    case EmbeddingsDialect::vertex: {
      const auto* predictions = array_at(answer, "predictions");
      if (!predictions) return false;
      for (const auto& p : *predictions) {
        const auto* e = p.is_object() ? object_at(p.get_object(), "embeddings") : nullptr;
        const auto* values = e ? array_at(*e, "values") : nullptr;
        if (!values) return false;
        out.vectors.push_back(numbers(*values));
        if (const auto* stats = object_at(*e, "statistics")) out.prompt_tokens += integer(*stats, "token_count");
      }
      return true;
    }
    case EmbeddingsDialect::bedrock_titan: {
      const auto* e = array_at(answer, "embedding");
      if (!e) return false;
      out.vectors.push_back(numbers(*e));
      out.prompt_tokens += integer(answer, "inputTextTokenCount");
      return true;
    }
    case EmbeddingsDialect::bedrock_cohere: {
      const auto* list = array_at(answer, "embeddings");
      if (!list) return false;
      for (const auto& e : *list) {
        if (!e.is_array()) return false;
        out.vectors.push_back(numbers(e.get_array()));
      }
      return true;
    }
  }
  return false;
}

json::object openai_embeddings_answer(const Embeddings& embeddings, std::string_view model, bool base64) {
  json::array data;
  for (std::size_t i = 0; i < embeddings.vectors.size(); ++i) {
    json::value vector;
    if (base64) {
      vector = json::string(base64_floats(embeddings.vectors[i]));
    } else {
      json::array values;
      for (const double x : embeddings.vectors[i]) values.push_back(x);
      vector = std::move(values);
    }
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", std::move(vector)}});
  }
  return {{"object", "list"},
          {"data", std::move(data)},
          {"model", model},
          {"usage", {{"prompt_tokens", embeddings.prompt_tokens}, {"total_tokens", embeddings.prompt_tokens}}}};
}

bool looks_like_embeddings(const json::object& answer) {
  const auto* error = answer.if_contains("error");
  return array_at(answer, "data") != nullptr && (!error || error->is_null());
}

}  // namespace switchyard::providers
