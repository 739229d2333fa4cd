#include "demo_commands.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "pilemesh/config/config.hpp"
#include "pilemesh/gateway/demo_neighbourhood.hpp"
#include "pilemesh/gateway/owner_credentials.hpp"

namespace pilemesh::cli {
namespace {
// The demo's owner password: printed by `make run`, as public as the demo's keys.
constexpr const char* kDemoOwnerPassword = "demo-owner";
}  // namespace

DemoCommands::DemoCommands(CLI::App& app) {
  demo_ = app.add_subcommand("demo", "The demo neighbourhood of `make run`");
  demo_->require_subcommand(1);
  seed_ = demo_->add_subcommand(
      "seed",
      "Build a demo chain in an empty data folder: neighbours, three piles with tariffs, and "
      "weeks of sessions, payments and ratings; prints the demo members' key files");
  seed_->add_option("--config", config_file_, "The gateway's configuration (its pile, location)")
      ->required();
  seed_
      ->add_option("--data-dir", data_dir_,
                   "The data folder; nothing is done when it holds a "
                   "ledger already")
      ->required();
  seed_->add_option("--days", days_, "How many days of history")
      ->check(CLI::Range(2, 365))
      ->capture_default_str();
  seed_
      ->add_option("--extra-piles", extra_piles_,
                   "More priced piles around, without history (for load tests of search)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000}))
      ->capture_default_str();
}

namespace {

// The demo's sign-in: the owner's password, and a link per neighbour that carries their key.
void print_logins(const std::string& base, const std::vector<std::filesystem::path>& key_files) {
  std::cout << "sign in to the web UI at " << base << "\n"
            << "  as the gateway's owner (and admin): password " << kDemoOwnerPassword << "\n"
            << "  as a demo neighbour, open their link (their key file is beside it):\n";
  for (const auto& file : key_files) {
    std::ifstream seed(file);
    std::string hex;
    seed >> hex;
    std::cout << "    " << file.stem().string() << "  " << base << "#/key/" << hex << "  ("
              << file.string() << ")\n";
  }
}

}  // namespace

int DemoCommands::run() const {
  const auto loaded = config::load_file(config_file_);
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
  if (!loaded.config) return 2;
  const config::Config& config = *loaded.config;
  gateway::DemoOptions options;
  options.data_dir = data_dir_;
  if (!config.piles.empty()) options.pile_id = config.piles.front().id;
  if (!config.gateway.location.empty()) options.location = config.gateway.location;
  options.address = config.gateway.address;
  options.days = days_;
  options.extra_piles = extra_piles_;
  options.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string host =
      config.web.bind == "0.0.0.0" || config.web.bind == "::" ? "127.0.0.1" : config.web.bind;
  const std::string base = "http://" +
                           (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" +
                           std::to_string(config.web.port) + "/";
  // Seeded before: the logins again, since `make run` prints them on every start.
  if (std::filesystem::exists(std::filesystem::path(data_dir_) / "ledger.db")) {
    std::cout << data_dir_ << " holds a ledger already: the demo is not seeded again\n";
    std::vector<std::filesystem::path> key_files;
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(data_dir_) / "demo-keys", ec))
      if (entry.path().extension() == ".key") key_files.push_back(entry.path());
    std::sort(key_files.begin(), key_files.end());
    if (!key_files.empty()) print_logins(base, key_files);
    return 0;
  }
  try {
    const auto summary = gateway::seed_demo_neighbourhood(options);
    // The owner of the demo's gateway signs in with a password, as a real owner would after
    // the first-run wizard.
    if (auto problem = gateway::OwnerCredentials(data_dir_).set_password(kDemoOwnerPassword);
        !problem.empty()) {
      std::cerr << "cannot set the demo owner's password: " << problem << "\n";
      return 1;
    }
    std::cout << "demo neighbourhood in " << data_dir_ << ": " << summary.blocks << " blocks, "
              << summary.sessions << " sessions, " << summary.ratings << " ratings\n";
    std::vector<std::filesystem::path> key_files;
    for (const auto& m : summary.members) key_files.push_back(m.key_file);
    print_logins(base, key_files);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "cannot seed the demo: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace pilemesh::cli
