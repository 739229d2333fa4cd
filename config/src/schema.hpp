// The schema: every table and key of the configuration file, declared once. Validation,
// defaults and the printed documentation (print_schema) all come from these tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/config/config.hpp"

namespace pilemesh::config::detail {

enum class Kind {
  kString,    // text of min..max characters
  kChoice,    // one of `choices` ('|'-separated)
  kAddress,   // an IPv4 or IPv6 address literal
  kListen,    // "<address>:<port>" ("[<IPv6>]:<port>"), port 0..65535, or "off"
  kPath,      // relative paths resolve against the config file's folder
  kPathList,  // an array of kPath
  kInteger,   // in min..max
  kDeviceId,  // min..max characters of [a-z0-9_-]
  kGeohash,   // min..max characters of the geohash alphabet (0-9, b-z without i, l, o)
  kIban,      // an IBAN with a valid ISO 13616 check (mod 97), spaces allowed
  kDriver,    // "<plugin>/<factory>", each part [a-z0-9_-]+
  kTable,     // free-form; a driver's settings, checked later by resolve_settings
};

// A validated value (or a default) on its way into Config.
struct Value {
  std::int64_t integer = 0;
  std::string text;  // paths are already absolute
  std::vector<std::string> list;
};

struct KeySpec {
  std::string_view group{};  // the table ("web"), or "device" for the keys of piles and meters
  std::string_view key{};
  Kind kind{};
  std::string_view description{};
  std::int64_t min = 0, max = 0;  // integer bounds, or length bounds of strings
  std::string_view choices{};
  std::int64_t int_default = 0;
  std::string_view text_default{};
  bool required = false;
  std::string_view default_note{};            // printed instead of the default when that is derived
  void (*store)(Config&, Value&&) = nullptr;  // keys of the plain tables
  void (*store_device)(DeviceConfig&, Value&&) = nullptr;  // keys of piles and meters
};

struct TableSpec {
  std::string_view name{};
  std::string_view group{};  // whose KeySpecs apply
  bool array_of_tables = false;
  std::size_t max_entries = 0;  // for arrays of tables
  std::string_view description{};
  std::vector<DeviceConfig> Config::*devices = nullptr;  // for arrays of tables
};

std::span<const TableSpec> tables();
std::span<const KeySpec> keys();
std::vector<const KeySpec*> keys_of(std::string_view group);
std::vector<std::string_view> key_names_of(std::string_view group);
std::vector<std::string_view> table_names();

// The default of a key as a Value (paths not yet resolved).
Value default_value(const KeySpec& spec);

}  // namespace pilemesh::config::detail
