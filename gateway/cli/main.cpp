// pilemesh: the command-line tool for people who run a gateway.
//   pilemesh config schema          every configuration key, documented
//   pilemesh config check FILE      validate a file (keys and types; drivers need pilemeshd
//   --check-config)
//   pilemesh ledger ...             keygen, status, block, tx, history, verify (docs/ledger.md)
//   pilemesh reputation simulate    the paper's reputation experiment (section 4.1), as CSV
//   pilemesh demo seed              the demo neighbourhood of `make run`
#include <CLI/CLI.hpp>
#include <iostream>

#include "demo_commands.hpp"
#include "ledger_commands.hpp"
#include "pilemesh/config/config.hpp"
#include "pilemesh/version.hpp"
#include "reputation_commands.hpp"

int main(int argc, char** argv) {
  using namespace pilemesh;
  CLI::App app{"pilemesh — tools for a pilemesh gateway", "pilemesh"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(kVersion));
  auto* config_cmd = app.add_subcommand("config", "Inspect and check configuration");
  config_cmd->require_subcommand(1);
  auto* schema = config_cmd->add_subcommand(
      "schema", "Print every configuration key with its type, default, range and meaning");
  std::string file;
  auto* check =
      config_cmd->add_subcommand("check", "Validate a configuration file's keys and values");
  check->add_option("file", file, "The TOML file")->required();
  const cli::LedgerCommands ledger(app);
  const cli::ReputationCommands reputation(app);
  const cli::DemoCommands demo(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (ledger.parsed()) return ledger.run();
  if (reputation.parsed()) return reputation.run();
  if (demo.parsed()) return demo.run();
  if (schema->parsed()) {
    config::print_schema(std::cout);
    return 0;
  }
  if (check->parsed()) {
    const auto loaded = config::load_file(file);
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    if (!loaded.errors.empty()) return 2;
    std::cout << file << ": valid\n";
  }
  return 0;
}
