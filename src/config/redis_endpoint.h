// Where the shared state lives: router_settings.redis_url (redis://[[user]:password@]host[:port][/db])
// or LiteLLM's redis_host/redis_port/redis_db/redis_password. Parsing only; no I/O.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace switchyard::config {

inline constexpr int kDefaultRedisPort = 6379;

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = kDefaultRedisPort;
  int db = 0;
  std::string username;  // Redis 6 ACL user; empty: AUTH with the password alone
  std::string password;  // secret: never log
  bool tls = false;      // rediss://

  std::string display() const;  // host:port/db, without credentials
};

// The endpoint, or a message saying what is wrong with the URL.
std::variant<RedisEndpoint, std::string> parse_redis_url(std::string_view url);

}  // namespace switchyard::config
