#include "sections.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "raw_settings.hpp"
#include "schema.hpp"
#include "text.hpp"
#include "values.hpp"

namespace pilemesh::config::detail {
namespace {

// Where an id was first used, for the duplicate-id message.
struct IdUse {
  std::string key_path;
  toml::source_position position;
};
using IdUses = std::map<std::string, IdUse, std::less<>>;

void report_unknown_keys(const toml::table& table, std::string_view path, std::string_view group,
                         Diagnostics& diagnostics) {
  const auto allowed = key_names_of(group);
  for (auto&& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      diagnostics.unknown_key(key, path, allowed);
    }
  }
}

void check_section(const TableSpec& spec, const toml::node* node, const std::filesystem::path& base,
                   Config& config, Diagnostics& diagnostics) {
  const toml::table* table = nullptr;
  if (node != nullptr) {
    table = node->as_table();
    if (table == nullptr) {
      diagnostics.add(node->source(), std::string(spec.name),
                      "expected a table, found " + std::string(type_phrase(*node)));
    } else {
      report_unknown_keys(*table, spec.name, spec.group, diagnostics);
    }
  }
  for (const KeySpec* key : keys_of(spec.group)) {
    const toml::node* value_node = table != nullptr ? table->get(key->key) : nullptr;
    if (value_node == nullptr) {
      Value value = default_value(*key);
      // An empty default means "not set" (the program picks), not the config file's folder.
      if (key->kind == Kind::kPath && !value.text.empty())
        value.text = resolve_path(value.text, base);
      key->store(config, std::move(value));
    } else if (auto value = check_value(*key, *value_node, join_path(spec.name, key->key), base,
                                        diagnostics)) {
      key->store(config, std::move(*value));
    }
  }
}

void check_device(const std::shared_ptr<const toml::table>& document, const toml::table& table,
                  const std::string& path, const std::filesystem::path& base, DeviceConfig& device,
                  IdUses& ids, Diagnostics& diagnostics) {
  report_unknown_keys(table, path, "device", diagnostics);
  device.key_path = path;
  bool has_name = false;
  for (const KeySpec* key : keys_of("device")) {
    const toml::node* node = table.get(key->key);
    const std::string key_path = join_path(path, key->key);
    if (node == nullptr) {
      if (key->required) diagnostics.add(table.source(), key_path, "required key is missing");
      continue;
    }
    auto value = check_value(*key, *node, key_path, base, diagnostics);
    if (!value) continue;
    if (key->kind == Kind::kTable) {
      device.settings = std::make_shared<const RawSettings>(document, node->as_table());
      continue;
    }
    if (key->kind == Kind::kDeviceId) {
      auto [it, inserted] = ids.try_emplace(value->text, IdUse{key_path, node->source().begin});
      if (!inserted) {
        diagnostics.add(node->source(), key_path,
                        "duplicate id " + in_quotes(value->text) + ": already used by " +
                            it->second.key_path + " at line " +
                            std::to_string(it->second.position.line) + ":" +
                            std::to_string(it->second.position.column));
      }
    }
    has_name = has_name || key->key == "name";
    key->store_device(device, std::move(*value));
  }
  if (!has_name) device.name = device.id;
  if (!device.settings) {
    device.settings = std::make_shared<const RawSettings>(document, &detail::empty_table());
  }
}

void check_devices(const std::shared_ptr<const toml::table>& document, const TableSpec& spec,
                   const toml::node* node, const std::filesystem::path& base, Config& config,
                   IdUses& ids, Diagnostics& diagnostics) {
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    diagnostics.add(node->source(), std::string(spec.name),
                    "expected an array of tables ([[" + std::string(spec.name) + "]]), found " +
                        std::string(type_phrase(*node)));
    return;
  }
  auto& devices = config.*spec.devices;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const std::string path = std::string(spec.name) + "[" + std::to_string(i) + "]";
    if (i == spec.max_entries) {
      diagnostics.add(element.source(), path,
                      "too many entries: at most " + std::to_string(spec.max_entries) + " " +
                          std::string(spec.name) + " are allowed");
      return;
    }
    const toml::table* table = element.as_table();
    if (table == nullptr) {
      diagnostics.add(element.source(), path,
                      "expected a table, found " + std::string(type_phrase(element)));
      continue;
    }
    check_device(document, *table, path, base, devices.emplace_back(), ids, diagnostics);
  }
}

// Rules that involve more than one key.
void check_relations(const toml::table& root, const Config& config, Diagnostics& diagnostics) {
  if (diagnostics.has_error_under("devices")) return;  // a value was rejected: nothing to compare
  if (config.devices.reconnect_initial > config.devices.reconnect_max) {
    const toml::node_view devices = root["devices"];
    const toml::node* initial = devices["reconnect_initial_ms"].node();
    const toml::node* where = initial != nullptr ? initial : devices["reconnect_max_ms"].node();
    if (where == nullptr) where = devices.node();
    diagnostics.add(where != nullptr ? where->source() : toml::source_region{},
                    "devices.reconnect_initial_ms",
                    "must not be greater than devices.reconnect_max_ms (" +
                        std::to_string(config.devices.reconnect_initial.count()) + " > " +
                        std::to_string(config.devices.reconnect_max.count()) + ")");
  }
}

}  // namespace

void check_document(const std::shared_ptr<const toml::table>& document,
                    const std::filesystem::path& base_dir, Config& config,
                    Diagnostics& diagnostics) {
  const toml::table& root = *document;
  const auto names = table_names();
  for (auto&& [key, node] : root) {
    if (std::find(names.begin(), names.end(), key.str()) == names.end()) {
      diagnostics.unknown_key(key, "", names);
    }
  }
  IdUses ids;
  for (const TableSpec& spec : tables()) {
    const toml::node* node = root.get(spec.name);
    if (spec.array_of_tables) {
      check_devices(document, spec, node, base_dir, config, ids, diagnostics);
    } else {
      check_section(spec, node, base_dir, config, diagnostics);
    }
  }
  check_relations(root, config, diagnostics);
}

}  // namespace pilemesh::config::detail
