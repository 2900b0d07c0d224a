// An error object in a client's wire format: OpenAI's {"error":{message,type,param,code}} or
// Anthropic's {"type":"error","error":{type,message}}, with each class named in that SDK's
// vocabulary. Used for whole error responses (api/) and for error events ending a stream.
#pragma once

#include <string>
#include <string_view>

#include "core/chat.h"
#include "errors/error_class.h"

namespace switchyard::providers {

std::string error_body(core::WireFormat format, errors::ErrorClass cls, std::string_view message);

}  // namespace switchyard::providers
