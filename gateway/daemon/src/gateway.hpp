// The composition root: builds every part of a running gateway from a validated Config and
// runs the event loop until SIGINT or SIGTERM.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pilemesh/config/config.hpp"
#include "pilemesh/plugins/plugin_registry.hpp"

namespace pilemesh::gateway {

// Exit statuses of pilemeshd, documented in the README.
enum ExitCode : int {
  kExitOk = 0,
  kExitRuntimeError = 1,  // cannot listen, data dir or database unusable, plugin dir unreadable
  kExitConfigError = 2,   // the configuration is invalid
  // Internal: the first-run wizard added a pile; main() starts the daemon again (execv), so
  // that it connects the pile with the same process id (systemd sees no failure).
  kExitRestart = 3,
};

// A device that cannot be built (unknown driver, bad settings) — with the message for the user.
struct DeviceProblem {
  std::string key_path;
  std::string message;
  bool is_config_error;  // true: the configuration must change; false: the driver refused
};

struct PreparedDevices;

class Gateway {
 public:
  Gateway(config::Config config, std::filesystem::path default_plugin_dir);
  ~Gateway();

  // Loads plugins and validates every device's driver and settings; prints problems with
  // file:line. Used by --check-config and at the start of run().
  int check(bool verbose);
  // Starts everything and serves until a signal arrives; returns the exit status.
  int run();

 private:
  std::vector<std::filesystem::path> plugin_dirs() const;
  int load_plugins();

  config::Config config_;
  std::filesystem::path default_plugin_dir_;
  plugins::PluginRegistry plugins_;
  std::vector<std::string> refused_plugins_;  // the messages of plugin files refused at start
};

}  // namespace pilemesh::gateway
