// `switchyard explain --provider P --status N [--header 'K: V']... --body FILE|- [--config F]`:
// classify one upstream failure offline and print {"class","retry","cooldown","fallback","rule"}.
// With --config, the user's fallback_on rules and retry policies apply as they would when serving.
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/commands.h"
#include "config/config_loader.h"
#include "core/text.h"
#include "errors/explain.h"

namespace switchyard::cli {
namespace {

struct ExplainOptions {
  std::string provider;
  int status = 0;
  std::vector<std::string> headers;
  std::string body_path;
  std::string config_path;
  std::string transport_error;
};

bool read_body(const std::string& path, std::string& out) {
  constexpr std::size_t kMaxBodyBytes = 64 << 20;  // the classifier only reads the first MiB anyway
  std::istream* in = &std::cin;
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return false;
    in = &file;
  }
  char buf[64 * 1024];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    if (out.size() < kMaxBodyBytes) out.append(buf, static_cast<std::size_t>(in->gcount()));
  }
  return true;
}

int run_explain(const ExplainOptions& o) {
  errors::UpstreamError e;
  const auto provider = core::provider_from_string(o.provider);
  if (!provider) {
    std::cerr << "explain: unknown provider '" << o.provider
              << "' (anthropic, openai, azure, databricks, vertex_ai, gemini, bedrock, openai_compatible)\n";
    return 2;
  }
  e.provider = *provider;
  e.status = o.status;
  for (const auto& h : o.headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos) {
      std::cerr << "explain: --header must look like 'Name: value' (got '" << h << "')\n";
      return 2;
    }
    e.headers.emplace_back(std::string(core::trim(std::string_view(h).substr(0, colon))),
                           std::string(core::trim(std::string_view(h).substr(colon + 1))));
  }
  if (!o.transport_error.empty() && !errors::transport_error_from_string(o.transport_error, e.transport_error)) {
    std::cerr << "explain: unknown --transport-error '" << o.transport_error << "'\n";
    return 2;
  }
  if (!o.body_path.empty() && !read_body(o.body_path, e.body)) {
    std::cerr << "explain: cannot read body file '" << o.body_path << "'\n";
    return 2;
  }
  errors::ClassifierSettings settings;
  if (!o.config_path.empty()) {
    const auto loaded = config::load_config_file(o.config_path);
    for (const auto& d : loaded.errors) std::cerr << d.to_string() << '\n';
    if (!loaded.ok()) return 1;
    settings = loaded.config->router.classifier;
  }
  const errors::Classifier classifier(std::move(settings));
  std::cout << errors::explain_json(classifier.classify(e)) << '\n';
  return 0;
}

}  // namespace

void add_explain_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("explain", "Classify one upstream failure and print the router's decision");
  auto o = std::make_shared<ExplainOptions>();
  cmd->add_option("--provider,-p", o->provider, "anthropic, openai, azure, databricks, vertex_ai, gemini, bedrock, openai_compatible")
      ->required();
  cmd->add_option("--status,-s", o->status, "HTTP status the provider answered (0: no response)")->required();
  cmd->add_option("--header,-H", o->headers, "response header 'Name: value' (repeatable)");
  cmd->add_option("--body,-b", o->body_path, "file with the response body, or - for stdin");
  cmd->add_option("--config,-c", o->config_path, "config whose fallback_on / retry_policy apply");
  cmd->add_option("--transport-error", o->transport_error,
                  "no HTTP response: connection_refused, connection_reset, dns, tls, connect_timeout, read_timeout");
  cmd->callback([o, &exit_code] { exit_code = run_explain(*o); });
}

}  // namespace switchyard::cli
