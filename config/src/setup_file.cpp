#include "pilemesh/config/setup_file.hpp"

#include <toml++/toml.h>

#include <set>
#include <sstream>
#include <stdexcept>

namespace pilemesh::config {

std::string setup_text_with(std::string_view existing, const SetupPile& pile,
                            const std::string& location, const std::string& address) {
  toml::table root;
  if (!existing.empty()) {
    try {
      root = toml::parse(existing);
    } catch (const toml::parse_error& e) {
      throw std::invalid_argument(std::string("the setup file does not parse: ") +
                                  std::string(e.description()));
    }
  }
  if (!location.empty() || !address.empty()) {
    if (!root.contains("gateway")) root.insert("gateway", toml::table{});
    toml::table& gateway = *root["gateway"].as_table();
    if (!location.empty()) gateway.insert_or_assign("location", location);
    if (!address.empty()) gateway.insert_or_assign("address", address);
  }
  if (!root.contains("piles")) root.insert("piles", toml::array{});
  toml::table entry{{"id", pile.id}, {"name", pile.name}, {"driver", pile.driver}};
  toml::table settings;
  for (const auto& [key, value] : pile.settings)
    std::visit([&, k = key](const auto& v) { settings.insert_or_assign(k, v); }, value);
  if (!settings.empty()) entry.insert("settings", std::move(settings));
  root["piles"].as_array()->push_back(std::move(entry));
  std::ostringstream out;
  out << "# Written by the first-run wizard of pilemesh's web UI; merged into the configuration.\n"
      << root << "\n";
  return out.str();
}

std::vector<ConfigError> merge_setup(Config& config, const Config& setup) {
  std::vector<ConfigError> errors;
  std::set<std::string> ids;
  for (const auto& d : config.piles) ids.insert(d.id);
  for (const auto& d : config.meters) ids.insert(d.id);
  for (const auto& pile : setup.piles) {
    if (!ids.insert(pile.id).second) {
      errors.push_back({setup.source, 0, 0, pile.key_path + ".id",
                        "\"" + pile.id + "\" is used in " + config.source + " already"});
      continue;
    }
    config.piles.push_back(pile);
  }
  if (config.gateway.location.empty()) config.gateway.location = setup.gateway.location;
  if (config.gateway.address.empty()) config.gateway.address = setup.gateway.address;
  return errors;
}

std::vector<ConfigError> merge_setup_file(Config& config, const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return {};
  LoadResult loaded = load_file(file);
  if (!loaded.config) return loaded.errors;
  return merge_setup(config, *loaded.config);
}

}  // namespace pilemesh::config
