// switchyard: the one binary. See DESIGN.md (CLI) for the subcommands.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Switchyard: an LLM gateway that falls back on the failure's class, not its status code"};
  app.require_subcommand(1);
  int exit_code = 0;
  switchyard::cli::add_check_command(app, exit_code);
  switchyard::cli::add_explain_command(app, exit_code);
  switchyard::cli::add_mock_command(app, exit_code);
  switchyard::cli::add_serve_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
