#include "api/responses_api.h"

#include <boost/json.hpp>
#include <functional>
#include <openssl/rand.h>

#include <stdexcept>

#include "api/client_errors.h"
#include "api/litellm_controls.h"
#include "api/passing.h"
#include "core/digest.h"
#include "providers/responses_call.h"
#include "providers/responses_codec.h"

namespace switchyard::api {
namespace json = boost::json;
namespace bh = http::beast_http;
namespace {

http::Response openai_error(unsigned version, bh::status status, std::string_view message, json::value param,
                            json::value code, std::string_view type = "invalid_request_error") {
  http::Response res{status, version};
  res.set(bh::field::content_type, "application/json");
  res.body() = json::serialize(json::object{
      {"error", {{"message", message}, {"type", type}, {"param", std::move(param)}, {"code", std::move(code)}}}});
  return res;
}

// resp_ + 48 hex digits, like OpenAI's ids, from OpenSSL's CSPRNG: an id is the only key to a
// stored conversation, so it must not be predictable from ids a client has seen.
std::string new_response_id() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  return "resp_" + core::hex_lower({reinterpret_cast<const char*>(bytes), sizeof bytes});
}

// Stored output items share the store with responses, under this prefix (response ids never
// contain ':', so GET /v1/responses/{id} never reaches an item), scoped by their owner: item ids
// come from the upstream, which may give two keys' items the same id; each stays its key's own
// (a key reaches only items under its own fingerprint, the master key included).
constexpr std::string_view kItemKeyPrefix = "item:";

std::string item_key(std::string_view owner, std::string_view item_id) {
  return std::string(kItemKeyPrefix).append(owner).append(1, ':').append(item_id);
}

// The store keys of a stored response's output items (kept with it by store_response).
std::vector<std::string> output_item_keys(std::string_view response_json, std::string_view owner) {
  std::vector<std::string> keys;
  boost::system::error_code ec;
  const auto response = json::parse(response_json, ec);
  const auto* output = !ec && response.is_object() ? response.get_object().if_contains("output") : nullptr;
  if (!output || !output->is_array()) return keys;
  for (const auto& item : output->get_array())
    if (const auto* id = item.is_object() ? item.get_object().if_contains("id") : nullptr; id && id->is_string())
      keys.push_back(item_key(owner, id->get_string()));
  return keys;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

namespace {
std::size_t size_of(const ResponseStore::Entry& e) { return e.response.size() + e.conversation.size() + e.owner.size(); }
}  // namespace

ResponseStore::ResponseStore(std::size_t max_entries, std::chrono::seconds ttl, std::size_t max_bytes)
    : max_per_shard_(std::max<std::size_t>(1, max_entries / kShards)),
      max_bytes_per_shard_(std::max<std::size_t>(1, max_bytes / kShards)),
      ttl_(ttl) {}

ResponseStore::Shard& ResponseStore::shard_of(const std::string& id) const {
  return shards_[std::hash<std::string>{}(id) % kShards];
}

void ResponseStore::put(const std::string& id, Entry entry) {
  auto& s = shard_of(id);
  std::lock_guard lock(s.mutex);
  put_locked(s, id, std::move(entry));
}

bool ResponseStore::put_fetched(const std::string& id, Entry entry, std::uint64_t forgets_seen) {
  auto& s = shard_of(id);
  std::lock_guard lock(s.mutex);
  if (s.forgets.load(std::memory_order_acquire) != forgets_seen) return false;
  put_locked(s, id, std::move(entry));
  return true;
}

void ResponseStore::forget(const std::string& id) {
  auto& s = shard_of(id);
  std::lock_guard lock(s.mutex);
  s.forgets.fetch_add(1, std::memory_order_acq_rel);
  const auto it = s.entries.find(id);
  if (it == s.entries.end()) return;
  s.bytes -= size_of(it->second.entry);
  s.entries.erase(it);
}

void ResponseStore::recheck_all() {
  for (auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    s.forgets.fetch_add(1, std::memory_order_acq_rel);  // a fetch in flight may predate a missed delete
    for (auto& [id, stored] : s.entries) stored.recheck = true;
  }
}

void ResponseStore::confirm(const std::string& id) {
  auto& s = shard_of(id);
  std::lock_guard lock(s.mutex);
  if (const auto it = s.entries.find(id); it != s.entries.end()) it->second.recheck = false;
}

void ResponseStore::put_locked(Shard& s, const std::string& id, Entry entry) {
  const auto now = std::chrono::steady_clock::now();
  const auto size = size_of(entry);
  if (const auto old = s.entries.find(id); old != s.entries.end()) {
    s.bytes -= size_of(old->second.entry);
    s.entries.erase(old);
  }
  // Evict expired and then the oldest entries while over a bound (ids in `order` may be gone).
  while (!s.order.empty()) {
    const auto it = s.entries.find(s.order.front());
    const bool stale = it == s.entries.end() || it->second.expires <= now || s.entries.size() >= max_per_shard_ ||
                       s.bytes + size > max_bytes_per_shard_;
    if (!stale) break;
    if (it != s.entries.end()) {
      s.bytes -= size_of(it->second.entry);
      s.entries.erase(it);
    }
    s.order.pop_front();
  }
  s.bytes += size;
  s.entries.emplace(id, Stored{std::move(entry), now + ttl_});
  s.order.push_back(id);
}

bool ResponseStore::holds(const std::string& id) const {
  auto& s = shard_of(id);
  std::lock_guard lock(s.mutex);
  const auto it = s.entries.find(id);
  return it != s.entries.end() && it->second.expires > std::chrono::steady_clock::now() && !it->second.recheck;
}

std::optional<ResponseStore::Entry> ResponseStore::get(const std::string& id, const StoreCaller& caller) const {
  auto& s = shard_of(id);
  std::lock_guard lock(s.mutex);
  const auto it = s.entries.find(id);
  if (it == s.entries.end() || it->second.expires <= std::chrono::steady_clock::now()) return std::nullopt;
  if (!caller.may_use(it->second.entry.owner)) return std::nullopt;
  return it->second.entry;
}

std::optional<ResponseStore::Entry> ResponseStore::erase(const std::string& id, const StoreCaller& caller) {
  auto& s = shard_of(id);
  std::lock_guard lock(s.mutex);
  const auto it = s.entries.find(id);
  if (it == s.entries.end() || !caller.may_use(it->second.entry.owner)) return std::nullopt;
  s.bytes -= size_of(it->second.entry);
  auto entry = std::move(it->second.entry);
  s.entries.erase(it);
  return entry;
}

std::variant<core::ChatRequest, http::Response> decode_responses_request(const http::Request& req,
                                                                        const router::Router& router,
                                                                        const ResponseStore& store,
                                                                        std::string request_id) {
  const auto version = req.version();
  const auto bad = [&](std::string_view message, json::value param = nullptr) {
    return openai_error(version, bh::status::bad_request, message, std::move(param), nullptr);
  };
  boost::system::error_code ec;
  auto parsed = json::parse(req.body(), ec, json::make_shared_resource<json::monotonic_resource>());
  if (ec) return bad("request body is not valid JSON: " + ec.message());
  if (!parsed.is_object()) return bad("request body must be a JSON object");
  // Constructed from the parsed object: assignment would deep-copy it out of its arena.
  core::ChatRequest request{.format = core::WireFormat::responses, .body = std::move(parsed.get_object())};
  request.request_id = std::move(request_id);
  auto& body = request.body;
  const auto* model = body.if_contains("model");
  if (!model || !model->is_string() || model->get_string().empty())
    return bad("'model' is required: the model group to route to", "model");
  request.model = std::string(model->get_string());
  // Responses are read and continued only by the key that stored them (response_owner.h).
  const auto caller = store_caller(req, router.config().general);
  request.response_owner = caller.owner;
  // LiteLLM's request-body controls (fallbacks, num_retries, tags, drop_params…) and the client
  // headers meant for the provider, as on the chat routes. Before any pointer into the body is
  // taken: erasing a field moves another into its slot.
  take_passing_controls(req, router.config().passing, request);
  if (auto problem = take_litellm_controls(core::WireFormat::responses, body, request.controls)) return bad(*problem);
  if (router.config().router.enable_tag_filtering) add_header_lines(req, request.controls);
  const auto* input = body.if_contains("input");
  if (!input || !(input->is_string() || input->is_array()))
    return bad("'input' is required and must be a string or an array of items", "input");
  if (const auto* s = body.if_contains("stream"); s && s->is_bool()) request.stream = s->get_bool();
  if (!router.has_group(request.model))
    return openai_error(version, bh::status::not_found,
                        "model '" + request.model + "' is not a model group of this gateway (see /v1/models)", "model",
                        "model_not_found");
  if (const auto* prev = body.if_contains("previous_response_id"); prev && !prev->is_null()) {
    if (!prev->is_string()) return bad("'previous_response_id' must be a string", "previous_response_id");
    const std::string id(prev->get_string());
    const auto stored = store.get(id, caller);
    if (!stored)
      return openai_error(version, bh::status::not_found, "Previous response with id '" + id + "' not found.",
                          "previous_response_id", "previous_response_not_found");
    auto history = json::parse(stored->conversation, ec);
    json::array items = !ec && history.is_array() ? std::move(history.get_array()) : json::array{};
    if (input->is_string()) items.push_back({{"type", "message"}, {"role", "user"}, {"content", input->get_string()}});
    else for (const auto& i : input->get_array()) items.push_back(i);
    body["input"] = std::move(items);
  }
  // item_reference inputs (the AI SDK sends them for items of stored responses) become the items.
  if (auto* items = body["input"].if_array()) {
    for (auto& item : *items) {
      auto* o = item.if_object();
      if (!o || !o->contains("type") || o->at("type") != "item_reference") continue;
      const auto* id = o->if_contains("id");
      if (!id || !id->is_string()) return bad("an item_reference needs an 'id'", "input");
      auto stored = store.get(item_key(caller.owner, id->get_string()), caller);
      if (!stored)
        return openai_error(version, bh::status::not_found,
                            "Item with id '" + std::string(id->get_string()) + "' not found.", "input", nullptr);
      auto resolved = json::parse(stored->conversation, ec);
      if (!ec) item = std::move(resolved);
    }
  }
  request.response_id = new_response_id();
  request.created_at = unix_now();
  return request;
}

namespace {

// Shared copies: "responses:<local key>" → ["owner:" fingerprint '\n'] response JSON, '\n',
// conversation JSON (serialized JSON has no raw newline; a copy without an owner line is an open
// gateway's, or was written before responses had owners).
constexpr std::string_view kSharedPrefix = "responses:";
constexpr std::string_view kOwnerLine = "owner:";

void keep(ResponseStore& store, state::StateStore& shared, const std::string& key, ResponseStore::Entry entry) {
  std::string value;
  if (!entry.owner.empty()) value.append(kOwnerLine).append(entry.owner).append(1, '\n');
  value.append(entry.response).append(1, '\n').append(entry.conversation);
  shared.put_shared(std::string(kSharedPrefix) + key, std::move(value), store.ttl());
  store.put(key, std::move(entry));
}

std::optional<ResponseStore::Entry> shared_entry(std::string_view value) {
  ResponseStore::Entry entry;
  if (value.starts_with(kOwnerLine)) {
    const auto end = value.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    entry.owner = value.substr(kOwnerLine.size(), end - kOwnerLine.size());
    value.remove_prefix(end + 1);
  }
  const auto split = value.find('\n');
  if (split == std::string_view::npos) return std::nullopt;
  entry.response = value.substr(0, split);
  entry.conversation = value.substr(split + 1);
  return entry;
}

// The local keys a request names that this instance does not hold.
std::vector<std::string> missing_keys(const http::Request& req, std::string_view path, const ResponseStore& store,
                                      const config::GeneralSettings& general) {
  std::vector<std::string> keys;
  constexpr std::string_view kStoredPrefix = "/v1/responses/";
  if (path.starts_with(kStoredPrefix)) {
    const std::string id(path.substr(kStoredPrefix.size()));
    if (!id.empty() && id.find_first_of("/:") == std::string::npos && !store.holds(id)) keys.push_back(id);
    return keys;
  }
  const auto& body = req.body();
  if (body.find("previous_response_id") == std::string::npos && body.find("item_reference") == std::string::npos)
    return keys;
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return keys;
  const auto& o = parsed.get_object();
  // Items are kept under their owner's fingerprint: the caller's, worked out once an item is named.
  std::optional<StoreCaller> caller;
  if (const auto* prev = o.if_contains("previous_response_id"); prev && prev->is_string())
    if (!store.holds(std::string(prev->get_string()))) keys.emplace_back(prev->get_string());
  if (const auto* input = o.if_contains("input"); input && input->is_array())
    for (const auto& item : input->get_array())
      if (const auto* i = item.if_object(); i && i->contains("type") && i->at("type") == "item_reference")
        if (const auto* id = i->if_contains("id"); id && id->is_string()) {
          if (!caller) caller = store_caller(req, general);
          auto key = item_key(caller->owner, id->get_string());
          if (!store.holds(key)) keys.push_back(std::move(key));
        }
  return keys;
}

}  // namespace

void store_response(ResponseStore& store, state::StateStore& shared, const core::ChatRequest& request,
                    const json::object& response) {
  if (const auto* s = request.body.if_contains("store"); s && s->is_bool() && !s->get_bool()) return;
  keep(store, shared, request.response_id,
       {json::serialize(response), json::serialize(providers::conversation_items(request.body, response)),
        request.response_owner});
  // Each output item under its own id, for item_reference inputs.
  if (const auto* output = response.if_contains("output"); output && output->is_array())
    for (const auto& item : output->get_array())
      if (const auto* id = item.is_object() ? item.get_object().if_contains("id") : nullptr; id && id->is_string())
        keep(store, shared, item_key(request.response_owner, id->get_string()),
             {"", json::serialize(item), request.response_owner});
}

bool needs_shared_fetch(const http::Request& req, std::string_view path, const ResponseStore& store,
                        const state::StateStore& shared, const config::GeneralSettings& general) {
  return shared.shared_status().enabled && !missing_keys(req, path, store, general).empty();
}

void forget_shared(ResponseStore& store, std::string_view shared_key) {
  if (shared_key.empty()) store.recheck_all();
  else if (shared_key.starts_with(kSharedPrefix)) store.forget(std::string(shared_key.substr(kSharedPrefix.size())));
}

http::Awaitable<void> fetch_shared(const http::Request& req, std::string_view path, ResponseStore& store,
                                   state::StateStore& shared, const config::GeneralSettings& general) {
  // A delete may land between the GET and the put: then the value is fetched again (a delete in
  // a burst of them elsewhere: at most kFetchTries, then taken as absent).
  constexpr int kFetchTries = 3;
  for (auto& key : missing_keys(req, path, store, general)) {
    for (int attempt = 0; attempt < kFetchTries; ++attempt) {
      const auto forgets_seen = store.forgets(key);
      auto value = co_await shared.get_shared(std::string(kSharedPrefix) + key);
      if (!value) {
        // Redis has none (lost in a restart, or never written while it was down): a copy held here
        // to be rechecked stands. Redis down: nothing was learned, it stays to be rechecked.
        if (shared.shared_status().up) store.confirm(key);
        break;
      }
      if (value->empty()) {  // deleted: the tombstone of delete_shared
        store.forget(key);
        break;
      }
      auto entry = shared_entry(*value);
      if (!entry || store.put_fetched(key, std::move(*entry), forgets_seen)) break;  // its owner kept: read as here
    }
  }
}

std::optional<http::Response> answer_stored_response(const http::Request& req, std::string_view path,
                                                     ResponseStore& store, state::StateStore& shared,
                                                     const config::GeneralSettings& general) {
  constexpr std::string_view kPrefix = "/v1/responses/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  const std::string id(path.substr(kPrefix.size()));
  if (id.empty() || id.find_first_of("/:") != std::string::npos) return std::nullopt;  // ":": item keys
  const auto version = req.version();
  // Another key's response is answered exactly as an unknown id: nothing tells that it exists.
  const auto caller = store_caller(req, general);
  const auto not_found = [&] {
    return openai_error(version, bh::status::not_found, "Response with id '" + id + "' not found.", nullptr, nullptr);
  };
  if (req.method() == bh::verb::get) {
    auto stored = store.get(id, caller);
    if (!stored) return not_found();
    http::Response res{bh::status::ok, version};
    res.set(bh::field::content_type, "application/json");
    res.body() = std::move(stored->response);
    return res;
  }
  if (req.method() == bh::verb::delete_) {
    const auto erased = store.erase(id, caller);
    if (!erased) return not_found();
    shared.delete_shared(std::string(kSharedPrefix) + id, store.ttl());  // else the next lookup would fetch it back
    // Its output items go with it (item_reference to one is then an unknown item), here, in Redis
    // and, by the delete events, on the other instances.
    for (const auto& key : output_item_keys(erased->response, erased->owner)) {
      store.forget(key);
      shared.delete_shared(std::string(kSharedPrefix) + key, store.ttl());
    }
    http::Response res{bh::status::ok, version};
    res.set(bh::field::content_type, "application/json");
    res.body() = json::serialize(json::object{{"id", id}, {"object", "response"}, {"deleted", true}});
    return res;
  }
  return openai_error(version, bh::status::method_not_allowed, "use GET or DELETE", nullptr, nullptr);
}

std::string omitted_tools_header(const core::ChatRequest& request, const config::Deployment* deployment) {
  std::string list;
  if (request.format != core::WireFormat::responses || !deployment) return list;
  if (deployment->provider == core::Provider::openai || deployment->provider == core::Provider::azure) return list;
  for (const auto& name : providers::offered_tools_not_carried(request.body)) {
    if (!list.empty()) list += ',';
    list += name;
  }
  return list;
}

void set_omitted_tools_header(http::Response& res, const core::ChatRequest& request,
                              const config::Deployment* deployment) {
  if (const auto list = omitted_tools_header(request, deployment); !list.empty())
    res.set("x-switchyard-omitted-tools", list);
}

}  // namespace switchyard::api
