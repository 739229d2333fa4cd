// The gateway's configuration: the typed result of loading and validating a TOML file.
//
// Every key, its type, default, range and one-line description is declared once, in the schema
// table (schema.cpp). Loading checks the file against it and returns either a Config with
// every default filled in, or the list of every problem found — each naming file:line:column,
// the key path, what was expected and what was found.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/hal/settings.hpp"

namespace pilemesh::config {

// One problem in a configuration file.
struct ConfigError {
  std::string file;  // as given to load_file(), or the source name of load_string()
  int line = 0;      // 1-based; 0 when the problem has no position (e.g. unreadable file)
  int column = 0;
  std::string key_path;  // "web.port", "piles[1].driver", "piles[0].settings.battery_kwh"
  std::string message;   // "expected an integer in 1..65535, found 70000"

  // "demo.toml:12:8: web.port: expected an integer in 1..65535, found 70000"
  std::string to_string() const;
};

// A configured device's driver settings as written in the file, kept with their positions so
// that they can be validated later against the driver's declared keys (resolve_settings).
class RawSettings;

struct DeviceConfig {
  std::string id;                               // unique among piles and meters; [a-z0-9_-]
  std::string name;                             // for people; defaults to id
  std::string driver;                           // "<plugin>/<factory>"
  std::shared_ptr<const RawSettings> settings;  // never null (empty table when absent)
  std::string key_path;                         // "piles[0]" — for messages
};

struct GatewaySection {
  std::string name = "pilemesh";
  std::filesystem::path data_dir = "/var/lib/pilemesh";  // absolute after loading
  std::string log_level = "info";                        // trace|debug|info|warn|error
  std::string location;  // geohash cell of the piles; empty: not offered to neighbours
  std::string address;   // the exact address, only ever sent sealed to a booked member
};

// The owner's bank account for SEPA top-ups (EPC QR codes); empty when not offered.
struct PaymentsSection {
  std::string iban;  // normalized: upper case, no spaces, check digits verified
  std::string beneficiary;
  std::string bic;
};

struct PluginsSection {
  // Absolute after loading. Empty means the default: <dir of pilemeshd>/../lib/pilemesh/plugins.
  std::vector<std::filesystem::path> dirs;
};

struct WebSection {
  std::string bind = "127.0.0.1";  // an IPv4 or IPv6 address
  std::uint16_t port = 8080;
  std::size_t max_header_bytes = 8192;
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds request_timeout{10000};
  std::size_t max_connections = 256;
  // HTTPS with the owner's own certificate (PEM chain and key). Unset: a listener that is not
  // loopback uses a self-signed one made at first start in <data_dir>/tls.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_private_key;
};

struct DevicesSection {
  std::chrono::milliseconds reconnect_initial{1000};
  std::chrono::milliseconds reconnect_max{60000};
};

struct LedgerSection {
  std::filesystem::path genesis;  // empty: <data_dir>/genesis.json, made on first start
  std::chrono::milliseconds block_interval{500};
  std::chrono::milliseconds empty_block_interval{0};  // 0: no empty blocks
  std::size_t max_block_txs = 500;
  std::size_t max_block_bytes = 1 << 20;
  std::size_t mempool_max_txs = 5000;
  std::size_t mempool_max_bytes = 8 << 20;
};

// The OCPP-J endpoint every OCPP pile connects to.
struct OcppSection {
  bool enabled = true;  // false: listen = "off"
  std::string bind = "0.0.0.0";
  std::uint16_t port = 8887;  // 0: a free port (tests)
  std::size_t max_frame_bytes = 65536;
  int max_messages_per_second = 10;
};

struct Config {
  std::string source;  // the file it came from
  GatewaySection gateway;
  PaymentsSection payments;
  PluginsSection plugins;
  WebSection web;
  OcppSection ocpp;
  DevicesSection devices;
  LedgerSection ledger;
  std::vector<DeviceConfig> piles;
  std::vector<DeviceConfig> meters;
  std::vector<DeviceConfig> top_ups;  // driver = "<plugin>/<top-up method>"
};

struct LoadResult {
  std::optional<Config> config;     // set when errors is empty
  std::vector<ConfigError> errors;  // in file order
};

// Configuration text larger than this is rejected without parsing it.
inline constexpr std::size_t kMaxConfigBytes = std::size_t{1} << 20;

// Loads and validates a file. Relative paths in it are resolved against the file's folder.
LoadResult load_file(const std::filesystem::path& file);
// The same for text in memory; relative paths resolve against `base_dir`.
LoadResult load_string(std::string_view toml_text, std::string_view source_name,
                       const std::filesystem::path& base_dir = std::filesystem::current_path());

// An empty settings table, for a DeviceConfig made in code rather than loaded from a file.
std::shared_ptr<const RawSettings> empty_settings();
// The keys written in a device's settings table, sorted.
std::vector<std::string> setting_keys(const RawSettings& settings);

// A device's settings validated against its driver's keys, with defaults filled in.
class ResolvedSettings final : public hal::Settings {
 public:
  bool get_bool(std::string_view key) const override;
  std::int64_t get_int(std::string_view key) const override;
  double get_float(std::string_view key) const override;
  std::string get_string(std::string_view key) const override;

  struct Value {
    std::string key;
    hal::SettingType type;
    bool b = false;
    std::int64_t i = 0;
    double f = 0;
    std::string s;
  };
  std::vector<Value> values;  // one per declared key, in declaration order
};

struct SettingsResult {
  std::optional<ResolvedSettings> settings;
  std::vector<ConfigError> errors;  // key paths like "piles[0].settings.battery_kwh"
};

// Checks `device.settings` against `spec`: unknown keys (with "did you mean"), wrong types and
// out-of-range values are errors; missing keys take their declared default.
SettingsResult resolve_settings(const DeviceConfig& device, std::span<const hal::SettingSpec> spec,
                                std::string_view source_file);

// Prints the documented schema: every key with its type, default, range and description.
void print_schema(std::ostream& out);

}  // namespace pilemesh::config
