// `POST /v1/embeddings`: the OpenAI body decoded into a routable request (Operation::embeddings);
// the calls themselves are providers/embeddings_call. Errors in OpenAI's shape.
#pragma once

#include <string>
#include <variant>

#include "core/chat.h"
#include "http/types.h"
#include "router/router.h"

namespace switchyard::api {

bool is_embeddings_path(std::string_view path);

std::variant<core::ChatRequest, http::Response> decode_embeddings_request(const http::Request& request,
                                                                         const router::Router& router,
                                                                         std::string request_id);

}  // namespace switchyard::api
