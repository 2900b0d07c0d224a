// `switchyard check --config F`: exit 0 when the config loads; otherwise print every problem as
// `F:line:col: message` on stderr and exit 1. Warnings are printed and do not fail the check.
// On success, one line per deployment names the credential source it will use.
#include <iostream>

#include "cli/commands.h"
#include "config/config_loader.h"
#include "config/env_credentials.h"
#include "providers/auth/credential_summary.h"

namespace switchyard::cli {

void add_check_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Validate a config file and report every problem with its line");
  auto path = std::make_shared<std::string>();
  cmd->add_option("--config,-c", *path, "YAML config (LiteLLM format)")->required();
  cmd->callback([path, &exit_code] {
    const auto result = config::load_config_file(*path);
    for (const auto& w : result.warnings) std::cerr << w.to_string() << '\n';
    for (const auto& e : result.errors) std::cerr << e.to_string() << '\n';
    if (!result.ok()) {
      std::cerr << result.errors.size() << (result.errors.size() == 1 ? " error" : " errors") << " in " << *path << '\n';
      exit_code = 1;
      return;
    }
    const auto& cfg = *result.config;
    // Where each deployment's credentials come from (never the values): the config, or the
    // environment variable LiteLLM would read.
    for (const auto& d : cfg.deployments) {
      std::string from;
      for (const auto& [setting, variable] : config::environment_sources(d, config::process_env))
        from += " " + setting + " from $" + variable + ";";
      if (!from.empty()) std::cout << "  " << d.group << " (" << d.id << "):" << from << '\n';
    }
    if (!cfg.general.master_key_source.empty())
      std::cout << "  auth: master key from " << cfg.general.master_key_source << '\n';
    for (const auto& m : result.unservable) std::cerr << m.to_string() << '\n';
    if (!result.unservable.empty()) {
      std::cerr << result.unservable.size() << " deployment"
                << (result.unservable.size() == 1 ? "" : "s") << " that cannot be called as written in " << *path << '\n';
      exit_code = 1;
      return;
    }
    std::cout << *path << ": ok (" << cfg.deployments.size() << " deployments in " << cfg.groups().size()
              << " model groups)\n";
    // Which credential source each deployment will use (no secret is printed).
    for (const auto& deployment : cfg.deployments)
      std::cout << "  " << deployment.id << ": " << providers::auth::credential_summary(providers::make_endpoint(deployment))
                << '\n';
  });
}

}  // namespace switchyard::cli
