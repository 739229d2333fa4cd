// <data_dir>/setup.toml: what the first-run wizard configured (the piles' location and
// address, and the piles it added), kept apart from the packaged configuration file so that
// neither overwrites the other. It has the configuration file's format and is checked the same
// way; the daemon merges it into the configuration at start.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "pilemesh/config/config.hpp"

namespace pilemesh::config {

struct SetupPile {
  std::string id, name, driver;
  std::vector<std::pair<std::string, std::variant<bool, std::int64_t, double, std::string>>>
      settings;
};

// The setup file's text with `pile` added, and `location` and `address` set when not empty.
// `existing` is the current text ("" when there is none). Throws std::invalid_argument when
// `existing` does not parse.
std::string setup_text_with(std::string_view existing, const SetupPile& pile,
                            const std::string& location, const std::string& address);

// Merges a loaded setup file into `config`: its piles are added, and its location and address
// are taken when the configuration file sets none. Errors name the setup file: a pile id that
// is already used.
std::vector<ConfigError> merge_setup(Config& config, const Config& setup);

// Loads <data_dir>/setup.toml, when there is one, and merges it (load_file's errors, then
// merge_setup's).
std::vector<ConfigError> merge_setup_file(Config& config, const std::filesystem::path& file);

}  // namespace pilemesh::config
