// pilemeshd: the pilemesh gateway daemon.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "gateway.hpp"
#include "pilemesh/config/config.hpp"
#include "pilemesh/config/setup_file.hpp"
#include "pilemesh/gateway/system.hpp"
#include "pilemesh/version.hpp"

namespace {

// Plugins ship beside the binary: <prefix>/bin/pilemeshd finds <prefix>/lib/pilemesh/plugins,
// both in the build tree and when installed.
std::filesystem::path default_plugin_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/lib/pilemesh/plugins";
  return exe.parent_path().parent_path() / "lib" / "pilemesh" / "plugins";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pilemesh;
  CLI::App app{"pilemeshd — share a private EV charging pile with neighbours", "pilemeshd"};
  std::string config_file = "/etc/pilemesh/pilemesh.toml";
  std::string data_dir, log_level;
  bool check_only = false, version = false;
  app.add_option("-c,--config", config_file, "Configuration file (TOML)")->capture_default_str();
  app.add_option("--data-dir", data_dir, "Data directory; overrides gateway.data_dir");
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn or error; overrides gateway.log_level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_flag("--check-config", check_only,
               "Validate the configuration and exit (0 valid, 2 invalid)");
  app.add_flag("--version", version, "Print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : gateway::kExitConfigError;
  }
  if (version) {
    std::cout << "pilemeshd " << kVersion << " (plugin SDK ABI " << hal::kAbiVersion << ")\n";
    return 0;
  }

  config::LoadResult loaded = config::load_file(config_file);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    std::cerr << loaded.errors.size() << (loaded.errors.size() == 1 ? " problem" : " problems")
              << " in " << config_file << "; see `pilemesh config schema` for every key\n";
    return gateway::kExitConfigError;
  }
  config::Config config = std::move(*loaded.config);
  if (!data_dir.empty()) config.gateway.data_dir = std::filesystem::absolute(data_dir);
  if (!log_level.empty()) config.gateway.log_level = log_level;
  // What the first-run wizard configured (piles, location), kept in the data folder.
  if (auto errors = config::merge_setup_file(config, config.gateway.data_dir / "setup.toml");
      !errors.empty()) {
    for (const auto& e : errors) std::cerr << e.to_string() << "\n";
    return gateway::kExitConfigError;
  }

  gateway::setup_logging(check_only ? "warn" : config.gateway.log_level);
  gateway::Gateway gw(std::move(config), default_plugin_dir());
  if (check_only) return gw.check(/*verbose=*/true);
  try {
    const int rc = gw.run();
    if (rc == gateway::kExitRestart) {
      // The same binary, arguments and process id, on the configuration with the new pile.
      ::execv("/proc/self/exe", argv);
      spdlog::critical("cannot restart: {}", std::strerror(errno));
      return gateway::kExitRuntimeError;
    }
    return rc;
  } catch (const std::exception& e) {
    spdlog::critical("stopped by an unexpected error: {}", e.what());
    return gateway::kExitRuntimeError;
  }
}
