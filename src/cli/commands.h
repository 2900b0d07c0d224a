// Subcommands of the `switchyard` binary. Each parses its flags (CLI11) and calls into the
// library; none holds logic of its own beyond turning results into output and exit codes.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

// Each `add_*` registers a subcommand; its callback sets `exit_code`.
void add_check_command(CLI::App& app, int& exit_code);
void add_explain_command(CLI::App& app, int& exit_code);
void add_mock_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace switchyard::cli
