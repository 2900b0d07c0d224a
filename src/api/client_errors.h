// Errors as the client's SDK expects them: OpenAI's {"error":{message,type,param,code}} or
// Anthropic's {"type":"error","error":{type,message}}, with the status of the error's class.
#pragma once

#include <string>
#include <string_view>

#include "api/redact.h"
#include "core/chat.h"
#include "errors/error_class.h"
#include "http/types.h"
#include "router/router.h"

namespace switchyard::api {

// The all-attempts-failed answer: the last attempt's class decides the status; the message lists
// every attempt as `group/deployment: class: provider message`, with secrets redacted (a provider
// may echo the key it was sent). A failed credential source's message (role ARNs, tenant ids,
// the token endpoint's answer) is the operator's: the client reads kCredentialsUnavailable in its
// place, the request log the message itself.
inline constexpr std::string_view kCredentialsUnavailable =
    "credentials unavailable: this deployment's cloud credential source failed (see the gateway log)";
http::Response routing_failure(core::WireFormat format, const router::RouteOutcome& outcome, unsigned version,
                               const Redactor& redact);

// Retry-After in whole seconds (at least 1).
void set_retry_after(http::Response& res, double seconds);

http::Response client_error(core::WireFormat format, http::beast_http::status status, errors::ErrorClass cls,
                            std::string_view message, unsigned version);

}  // namespace switchyard::api
