#include "schema.hpp"

#include <algorithm>
#include <ostream>

#include "text.hpp"
#include "values.hpp"

namespace pilemesh::config::detail {
namespace {

using std::chrono::milliseconds;

constexpr TableSpec kTables[] = {
    {.name = "gateway", .group = "gateway", .description = "The gateway itself."},
    {.name = "plugins", .group = "plugins", .description = "Where driver plugins are loaded from."},
    {.name = "web", .group = "web", .description = "The web UI and HTTP API."},
    {.name = "ocpp",
     .group = "ocpp",
     .description = "The OCPP endpoint: the gateway is the central system of the OCPP piles on "
                    "its network (docs/ocpp.md)."},
    {.name = "devices",
     .group = "devices",
     .description = "How the gateway keeps its connections to piles and meters."},
    {.name = "payments",
     .group = "payments",
     .description = "Where neighbours send money for a top-up by SEPA credit transfer (EPC QR)."},
    {.name = "ledger",
     .group = "ledger",
     .description = "This gateway's copy of the neighbourhood ledger and how it makes blocks."},
    {.name = "piles",
     .group = "device",
     .array_of_tables = true,
     .max_entries = 64,
     .description = "Charging piles, one [[piles]] table each.",
     .devices = &Config::piles},
    {.name = "meters",
     .group = "device",
     .array_of_tables = true,
     .max_entries = 64,
     .description = "Energy meters, one [[meters]] table each.",
     .devices = &Config::meters},
    {.name = "top_ups",
     .group = "device",
     .array_of_tables = true,
     .max_entries = 16,
     .description = "Top-up methods from plugins, one [[top_ups]] table each (manual and SEPA "
                    "transfer are built in).",
     .devices = &Config::top_ups},
};

constexpr KeySpec kKeys[] = {
    // [gateway]
    {.group = "gateway",
     .key = "name",
     .kind = Kind::kString,
     .description = "Name of this gateway, shown in the web UI and in logs",
     .min = 1,
     .max = 64,
     .text_default = "pilemesh",
     .store = [](Config& c, Value&& v) { c.gateway.name = std::move(v.text); }},
    {.group = "gateway",
     .key = "data_dir",
     .kind = Kind::kPath,
     .description = "Folder for the ledger database and other state",
     .text_default = "/var/lib/pilemesh",
     .store = [](Config& c, Value&& v) { c.gateway.data_dir = std::move(v.text); }},
    {.group = "gateway",
     .key = "log_level",
     .kind = Kind::kChoice,
     .description = "Least severe log messages that are written",
     .choices = "trace|debug|info|warn|error",
     .text_default = "info",
     .store = [](Config& c, Value&& v) { c.gateway.log_level = std::move(v.text); }},
    {.group = "gateway",
     .key = "location",
     .kind = Kind::kGeohash,
     .description = "Coarse public location of this gateway's piles, as a geohash cell (5 "
                    "characters is about 5 km, 6 about 1 km); never the address",
     .min = 5,
     .max = 12,
     .default_note = "not set: the piles are not offered to neighbours",
     .store = [](Config& c, Value&& v) { c.gateway.location = std::move(v.text); }},
    {.group = "gateway",
     .key = "address",
     .kind = Kind::kString,
     .description = "Exact address of the piles; never published: sealed to each booked member "
                    "(and to this gateway's key on the ledger)",
     .min = 1,
     .max = 200,
     .default_note = "not set",
     .store = [](Config& c, Value&& v) { c.gateway.address = std::move(v.text); }},
    // [payments]
    {.group = "payments",
     .key = "iban",
     .kind = Kind::kIban,
     .description =
         "IBAN of the account that receives top-ups; shown to members in the EPC QR code",
     .default_note = "not set: no SEPA top-ups",
     .store = [](Config& c, Value&& v) { c.payments.iban = std::move(v.text); }},
    {.group = "payments",
     .key = "beneficiary",
     .kind = Kind::kString,
     .description = "Name of the account holder, as the bank knows it",
     .min = 1,
     .max = 70,
     .default_note = "not set",
     .store = [](Config& c, Value&& v) { c.payments.beneficiary = std::move(v.text); }},
    {.group = "payments",
     .key = "bic",
     .kind = Kind::kString,
     .description = "BIC of the bank (optional inside the EEA)",
     .min = 8,
     .max = 11,
     .default_note = "not set",
     .store = [](Config& c, Value&& v) { c.payments.bic = std::move(v.text); }},
    // [plugins]
    {.group = "plugins",
     .key = "dirs",
     .kind = Kind::kPathList,
     .description = "Folders searched for driver plugins; empty = the installed plugin folder",
     .store = [](Config& c, Value&& v) { c.plugins.dirs.assign(v.list.begin(), v.list.end()); }},
    // [web]
    {.group = "web",
     .key = "bind",
     .kind = Kind::kAddress,
     .description = "IP address the web UI and API listen on (\"::\" or \"0.0.0.0\" for all)",
     .text_default = "127.0.0.1",
     .store = [](Config& c, Value&& v) { c.web.bind = std::move(v.text); }},
    {.group = "web",
     .key = "port",
     .kind = Kind::kInteger,
     .description = "TCP port of the web UI and API",
     .min = 1,
     .max = 65535,
     .int_default = 8080,
     .store = [](Config& c, Value&& v) { c.web.port = static_cast<std::uint16_t>(v.integer); }},
    {.group = "web",
     .key = "max_header_bytes",
     .kind = Kind::kInteger,
     .description = "Largest accepted request line plus headers, in bytes",
     .min = 1024,
     .max = 65536,
     .int_default = 8192,
     .store = [](Config& c,
                 Value&& v) { c.web.max_header_bytes = static_cast<std::size_t>(v.integer); }},
    {.group = "web",
     .key = "max_body_bytes",
     .kind = Kind::kInteger,
     .description = "Largest accepted request body, in bytes",
     .min = 1024,
     .max = 16777216,
     .int_default = 1048576,
     .store = [](Config& c,
                 Value&& v) { c.web.max_body_bytes = static_cast<std::size_t>(v.integer); }},
    {.group = "web",
     .key = "request_timeout_ms",
     .kind = Kind::kInteger,
     .description = "Time a client has to send a whole request, in milliseconds",
     .min = 100,
     .max = 600000,
     .int_default = 10000,
     .store = [](Config& c, Value&& v) { c.web.request_timeout = milliseconds(v.integer); }},
    {.group = "web",
     .key = "max_connections",
     .kind = Kind::kInteger,
     .description = "Most simultaneous client connections; more are refused",
     .min = 1,
     .max = 10000,
     .int_default = 256,
     .store = [](Config& c,
                 Value&& v) { c.web.max_connections = static_cast<std::size_t>(v.integer); }},
    {.group = "web",
     .key = "tls_certificate",
     .kind = Kind::kPath,
     .description = "Your own HTTPS certificate (PEM, with its chain); unset = a self-signed one "
                    "made at first start in <data_dir>/tls, used when bind is not loopback",
     .store = [](Config& c, Value&& v) { c.web.tls_certificate = std::move(v.text); }},
    {.group = "web",
     .key = "tls_private_key",
     .kind = Kind::kPath,
     .description = "The private key of tls_certificate (PEM); set both or neither",
     .store = [](Config& c, Value&& v) { c.web.tls_private_key = std::move(v.text); }},
    // [ocpp]
    {.group = "ocpp",
     .key = "listen",
     .kind = Kind::kListen,
     .description = "Where OCPP charge points connect, ws://<address>:<port>/ocpp/<identity>; "
                    "\"off\" = no OCPP endpoint",
     .text_default = "0.0.0.0:8887",
     .store = [](Config& c, Value&& v) {
       if (v.text == "off") {
         c.ocpp.enabled = false;
         return;
       }
       auto parts = split_listen(v.text);
       c.ocpp.enabled = true;
       c.ocpp.bind = parts->first;
       c.ocpp.port = parts->second;
     }},
    {.group = "ocpp",
     .key = "max_frame_bytes",
     .kind = Kind::kInteger,
     .description = "Largest OCPP message a charge point may send, in bytes",
     .min = 4096,
     .max = 1048576,
     .int_default = 65536,
     .store = [](Config& c,
                 Value&& v) { c.ocpp.max_frame_bytes = static_cast<std::size_t>(v.integer); }},
    {.group = "ocpp",
     .key = "max_messages_per_second",
     .kind = Kind::kInteger,
     .description = "Messages a second one charge point may send on average (bursts of five "
                    "times as many pass); more are dropped",
     .min = 1,
     .max = 1000,
     .int_default = 10,
     .store = [](Config& c, Value&& v) {
       c.ocpp.max_messages_per_second = static_cast<int>(v.integer);
     }},
    // [devices]
    {.group = "devices",
     .key = "reconnect_initial_ms",
     .kind = Kind::kInteger,
     .description =
         "First delay before reconnecting a lost device, in milliseconds (<= reconnect_max_ms)",
     .min = 100,
     .max = 60000,
     .int_default = 1000,
     .store = [](Config& c, Value&& v) { c.devices.reconnect_initial = milliseconds(v.integer); }},
    {.group = "devices",
     .key = "reconnect_max_ms",
     .kind = Kind::kInteger,
     .description = "Longest delay between reconnection attempts, in milliseconds",
     .min = 1000,
     .max = 3600000,
     .int_default = 60000,
     .store = [](Config& c, Value&& v) { c.devices.reconnect_max = milliseconds(v.integer); }},
    // [ledger]
    {.group = "ledger",
     .key = "genesis",
     .kind = Kind::kPath,
     .description = "The chain's genesis file (JSON); unset = <data_dir>/genesis.json, made on "
                    "first start as a one-gateway chain",
     .store = [](Config& c, Value&& v) { c.ledger.genesis = std::move(v.text); }},
    {.group = "ledger",
     .key = "block_interval_ms",
     .kind = Kind::kInteger,
     .description = "How long transactions are gathered before a block is made, in milliseconds",
     .min = 10,
     .max = 60000,
     .int_default = 500,
     .store = [](Config& c, Value&& v) { c.ledger.block_interval = milliseconds(v.integer); }},
    {.group = "ledger",
     .key = "empty_block_interval_ms",
     .kind = Kind::kInteger,
     .description = "Make an empty block after this long without transactions; 0 = never",
     .min = 0,
     .max = 86400000,
     .int_default = 0,
     .store = [](Config& c,
                 Value&& v) { c.ledger.empty_block_interval = milliseconds(v.integer); }},
    {.group = "ledger",
     .key = "max_block_txs",
     .kind = Kind::kInteger,
     .description = "Most transactions in one block",
     .min = 1,
     .max = 10000,
     .int_default = 500,
     .store = [](Config& c,
                 Value&& v) { c.ledger.max_block_txs = static_cast<std::size_t>(v.integer); }},
    {.group = "ledger",
     .key = "max_block_bytes",
     .kind = Kind::kInteger,
     .description = "Largest block, in bytes of encoded transactions",
     .min = 1024,
     .max = 8388608,
     .int_default = 1048576,
     .store = [](Config& c,
                 Value&& v) { c.ledger.max_block_bytes = static_cast<std::size_t>(v.integer); }},
    {.group = "ledger",
     .key = "mempool_max_txs",
     .kind = Kind::kInteger,
     .description = "Most transactions waiting for a block",
     .min = 1,
     .max = 100000,
     .int_default = 5000,
     .store = [](Config& c,
                 Value&& v) { c.ledger.mempool_max_txs = static_cast<std::size_t>(v.integer); }},
    {.group = "ledger",
     .key = "mempool_max_bytes",
     .kind = Kind::kInteger,
     .description = "Most bytes of transactions waiting for a block",
     .min = 65536,
     .max = 268435456,
     .int_default = 8388608,
     .store = [](Config& c,
                 Value&& v) { c.ledger.mempool_max_bytes = static_cast<std::size_t>(v.integer); }},
    // [[piles]], [[meters]] and [[top_ups]]
    {.group = "device",
     .key = "id",
     .kind = Kind::kDeviceId,
     .description = "Unique id among all piles, meters and top-up methods, used in the API and "
                    "the ledger",
     .min = 1,
     .max = 32,
     .required = true,
     .store_device = [](DeviceConfig& d, Value&& v) { d.id = std::move(v.text); }},
    {.group = "device",
     .key = "name",
     .kind = Kind::kString,
     .description = "Name shown to people",
     .min = 1,
     .max = 64,
     .default_note = "the id",
     .store_device = [](DeviceConfig& d, Value&& v) { d.name = std::move(v.text); }},
    {.group = "device",
     .key = "driver",
     .kind = Kind::kDriver,
     .description = "Driver that talks to the device: \"<plugin>/<factory>\"",
     .required = true,
     .store_device = [](DeviceConfig& d, Value&& v) { d.driver = std::move(v.text); }},
    {.group = "device",
     .key = "settings",
     .kind = Kind::kTable,
     .description = "The driver's own settings; the driver declares which keys it takes",
     .default_note = "{}"},
};

// The type column of the printed schema.
std::string type_text(const KeySpec& spec) {
  const std::string range = std::to_string(spec.min) + ".." + std::to_string(spec.max);
  switch (spec.kind) {
    case Kind::kString:
      return "string, " + range + " chars";
    case Kind::kChoice:
      return std::string(spec.choices);
    case Kind::kAddress:
      return "IPv4/IPv6 address";
    case Kind::kListen:
      return "address:port or off";
    case Kind::kPath:
      return "path";
    case Kind::kPathList:
      return "array of paths";
    case Kind::kInteger:
      return "integer " + range;
    case Kind::kDeviceId:
      return "string [a-z0-9_-]{" + std::to_string(spec.min) + "," + std::to_string(spec.max) + "}";
    case Kind::kIban:
      return "IBAN";
    case Kind::kGeohash:
      return "geohash of " + std::to_string(spec.min) + "-" + std::to_string(spec.max) +
             " characters";
    case Kind::kDriver:
      return "\"plugin/factory\"";
    case Kind::kTable:
      return "table";
  }
  return "";
}

std::string default_text(const KeySpec& spec) {
  if (spec.required) return "required";
  if (!spec.default_note.empty()) return "default " + std::string(spec.default_note);
  switch (spec.kind) {
    case Kind::kInteger:
      return "default " + std::to_string(spec.int_default);
    case Kind::kPathList:
      return "default []";
    default:
      return "default " + in_quotes(spec.text_default);
  }
}

}  // namespace

std::span<const TableSpec> tables() {
  return kTables;
}
std::span<const KeySpec> keys() {
  return kKeys;
}

std::vector<const KeySpec*> keys_of(std::string_view group) {
  std::vector<const KeySpec*> out;
  for (const KeySpec& spec : kKeys) {
    if (spec.group == group) out.push_back(&spec);
  }
  return out;
}

std::vector<std::string_view> key_names_of(std::string_view group) {
  std::vector<std::string_view> out;
  for (const KeySpec* spec : keys_of(group)) out.push_back(spec->key);
  return out;
}

std::vector<std::string_view> table_names() {
  std::vector<std::string_view> out;
  for (const TableSpec& table : kTables) out.push_back(table.name);
  return out;
}

Value default_value(const KeySpec& spec) {
  Value value;
  value.integer = spec.int_default;
  value.text = spec.text_default;
  return value;
}

}  // namespace pilemesh::config::detail

namespace pilemesh::config {

void print_schema(std::ostream& out) {
  using namespace detail;
  struct Row {
    std::string key, type, def;
    std::string_view description;
  };
  out << "# pilemesh configuration (TOML). Every key is optional unless marked \"required\".\n"
         "# Relative paths are resolved against the folder of the configuration file.\n";
  for (const TableSpec& table : tables()) {
    std::vector<Row> rows;
    const std::string prefix =
        table.array_of_tables ? std::string(table.name) + "[]" : std::string(table.name);
    for (const KeySpec* spec : keys_of(table.group)) {
      rows.push_back(
          {join_path(prefix, spec->key), type_text(*spec), default_text(*spec), spec->description});
    }
    std::size_t key_width = 0, type_width = 0, def_width = 0;
    for (const Row& row : rows) {
      key_width = std::max(key_width, row.key.size());
      type_width = std::max(type_width, row.type.size());
      def_width = std::max(def_width, row.def.size());
    }
    out << "\n";
    if (table.array_of_tables) {
      out << "[[" << table.name << "]]  (0.." << table.max_entries << " entries)  — "
          << table.description << "\n";
    } else {
      out << "[" << table.name << "]  — " << table.description << "\n";
    }
    for (const Row& row : rows) {
      out << "  " << row.key << std::string(key_width - row.key.size() + 2, ' ') << row.type
          << std::string(type_width - row.type.size() + 2, ' ') << row.def
          << std::string(def_width - row.def.size() + 2, ' ') << "— " << row.description << "\n";
    }
  }
}

}  // namespace pilemesh::config
