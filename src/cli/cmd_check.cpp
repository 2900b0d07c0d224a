// `switchyard check --config F`: exit 0 when the config loads; otherwise print every problem as
// `F:line:col: message` on stderr and exit 1. Warnings are printed and do not fail the check.
// On success, one line per deployment names the credential source it will use.
#include <iostream>

#include "cli/commands.h"
#include "config/config_loader.h"
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
    std::cout << *path << ": ok (" << cfg.deployments.size() << " deployments in " << cfg.groups().size()
              << " model groups)\n";
    // Which credential source each deployment will use (no secret is printed).
    for (const auto& deployment : cfg.deployments)
      std::cout << "  " << deployment.id << ": " << providers::auth::credential_summary(providers::make_endpoint(deployment))
                << '\n';
  });
}

}  // namespace switchyard::cli
