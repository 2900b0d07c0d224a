// The error response each HTTP fault answers with, per wire format: real provider bodies, copied
// from tests/data/provider_errors.yaml (case names cited in the table), so that what the gateway
// meets in tests is what it meets in production. One table, looked up by (fault, format).
#pragma once

#include <string_view>
#include <utility>

#include "mock/behaviour.h"

namespace switchyard::mock {

// The request/reply dialects (anthropic, openai, gemini, bedrock) plus the two Vertex AI ones,
// which carry Anthropic or Gemini bodies but answer some errors in Vertex's own shape.
// openai_responses: OpenAI's Responses API (errors as OpenAI's).
enum class WireFormat { anthropic, openai, vertex_anthropic, gemini, vertex_gemini, bedrock, openai_responses };

struct FaultBody {
  Fault fault;
  WireFormat format;
  int status;
  std::string_view content_type;
  std::string_view body;
  std::pair<std::string_view, std::string_view> extra_header;  // empty name: none
  std::string_view source;  // provider_errors.yaml case the body comes from
};

// Null for faults that are not HTTP errors (ok, connection_reset, hang, garbage). A Vertex format
// with no row of its own for the fault falls back to its publisher's (anthropic, gemini).
const FaultBody* fault_body(Fault fault, WireFormat format);

// Bedrock's refusal of a bad SigV4 signature (403, x-amzn-ErrorType InvalidSignatureException).
inline constexpr std::string_view kBedrockInvalidSignatureBody =
    R"json({"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."})json";
inline constexpr std::string_view kBedrockInvalidSignatureType =
    "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/";
inline constexpr std::string_view kAmznErrorType = "x-amzn-ErrorType";

// Gemini API bodies used outside the table too: a wrong key (gemini_api_key_invalid, compact) and
// the overload error, which is also Gemini's mid-stream error event (gemini_model_overloaded_503).
inline constexpr std::string_view kGeminiKeyInvalid =
    R"json({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}})json";
inline constexpr std::string_view kGeminiOverloaded =
    R"json({"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}})json";

// What `garbage` answers with 200: looks like a truncated proxy page, parses as nothing.
inline constexpr std::string_view kGarbageBody = "<html><body>upstream sent something that is not JSON {\"id\":";

}  // namespace switchyard::mock
