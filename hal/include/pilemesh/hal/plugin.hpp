// pilemesh plugin SDK — the plugin entry: how a shared library offers drivers to the gateway.
//
// A plugin is a shared library (pilemesh-<name>.so) in one of the gateway's plugin directories.
// It exports exactly two plain C functions:
//
//   uint32_t pilemesh_plugin_abi_version(void);           // checked first
//   const pilemesh::hal::PluginEntry* pilemesh_plugin_entry(void);
//
// The gateway calls pilemesh_plugin_abi_version() before any C++ object crosses the boundary
// and refuses a plugin built against another SDK ABI (with a log line saying which it has and
// which it needs). Only then does it call pilemesh_plugin_entry() and read the plugin's name,
// vendor, version and factories — of drivers for chargers and meters, and of top-up methods. No
// exception ever crosses the boundary: factories made with charger_factory() / meter_factory()
// catch everything and report it as an error string.
//
// Write PILEMESH_PLUGIN(...) once in a .cpp of the plugin to define both functions; see
// docs/plugin-authoring.md for a complete example. Plugins must be built with the same C++
// compiler and standard library as the gateway (g++ 12 / libstdc++ on Debian 12), since the
// driver interfaces are C++ classes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>

#include "pilemesh/hal/charger.hpp"
#include "pilemesh/hal/driver_context.hpp"
#include "pilemesh/hal/meter.hpp"
#include "pilemesh/hal/settings.hpp"
#include "pilemesh/hal/top_up.hpp"

namespace pilemesh::hal {

// The SDK's ABI version. It changes whenever a type in these headers changes layout or a
// virtual function is added, removed or reordered.
// Version 2 added top-up methods.
// Version 3 added the OCPP endpoint, request_connect() and the answer to on_id_token().
inline constexpr std::uint32_t kAbiVersion = 3;

enum class DriverKind : std::uint32_t { kCharger = 1, kMeter = 2, kTopUp = 3 };

// One kind of device a plugin can drive, or one top-up method it offers. A configured device
// or top-up names it as "<plugin>/<factory>", e.g. driver = "simulator/charger".
struct DriverFactory {
  const char* name;  // unique within the plugin; [a-z0-9_-]
  DriverKind kind;
  const char* description;      // one line, shown by `pilemesh plugins`
  const SettingSpec* settings;  // the keys of the device's `settings` table
  std::size_t settings_count;
  // Exactly one of the create functions is set, matching `kind`. On failure it returns
  // nullptr and writes a message to `error`; it never throws.
  Charger* (*create_charger)(DriverContext& context, std::string& error) noexcept;
  Meter* (*create_meter)(DriverContext& context, std::string& error) noexcept;
  // Destroys an object made by the create function, inside the plugin.
  void (*destroy_charger)(Charger* charger) noexcept;
  void (*destroy_meter)(Meter* meter) noexcept;
  // kTopUp only: the method's number in request_top_up (kFirstPluginTopUpMethod..255), and its
  // create and destroy functions.
  std::uint8_t top_up_method;
  TopUpMethod* (*create_top_up)(DriverContext& context, std::string& error) noexcept;
  void (*destroy_top_up)(TopUpMethod* method) noexcept;
};

struct PluginEntry {
  std::uint32_t abi_version;  // kAbiVersion the plugin was built with
  const char* name;           // e.g. "simulator"; [a-z0-9_-], unique among loaded plugins
  const char* vendor;
  const char* version;  // the plugin's own version, e.g. "1.2.0"
  const char* description;
  const DriverFactory* factories;
  std::size_t factory_count;
};

namespace detail {
template <class Base, class Driver>
Base* create_noexcept(DriverContext& context, std::string& error) noexcept {
  try {
    return new Driver(context);
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown exception";
  }
  return nullptr;
}
template <class Base>
void destroy_noexcept(Base* object) noexcept {
  delete object;
}
}  // namespace detail

// A factory for `Driver`, a Charger with a constructor `Driver(DriverContext&)`. The
// constructor may throw to refuse bad settings; the message reaches the gateway's log.
template <class Driver, std::size_t N>
constexpr DriverFactory charger_factory(const char* name, const char* description,
                                        const SettingSpec (&settings)[N]) {
  return {name,        DriverKind::kCharger,
          description, settings,
          N,           &detail::create_noexcept<Charger, Driver>,
          nullptr,     &detail::destroy_noexcept<Charger>,
          nullptr,     0,
          nullptr,     nullptr};
}

// A factory for `Driver`, a Meter with a constructor `Driver(DriverContext&)`.
template <class Driver, std::size_t N>
constexpr DriverFactory meter_factory(const char* name, const char* description,
                                      const SettingSpec (&settings)[N]) {
  return {name,
          DriverKind::kMeter,
          description,
          settings,
          N,
          nullptr,
          &detail::create_noexcept<Meter, Driver>,
          nullptr,
          &detail::destroy_noexcept<Meter>,
          0,
          nullptr,
          nullptr};
}

// A factory for `Method`, a class with a constructor `Method(DriverContext&)` and
// `Status instructions(const TopUpRequest&, PaymentInstructions&)` (top_up.hpp), offered under
// the method number `method` (kFirstPluginTopUpMethod..255).
template <class Method, std::size_t N>
constexpr DriverFactory top_up_factory(const char* name, const char* description,
                                       const SettingSpec (&settings)[N], std::uint8_t method) {
  return {name,
          DriverKind::kTopUp,
          description,
          settings,
          N,
          nullptr,
          nullptr,
          nullptr,
          nullptr,
          method,
          &detail::create_noexcept<TopUpMethod, detail::GuardedTopUp<Method>>,
          &detail::destroy_noexcept<TopUpMethod>};
}

}  // namespace pilemesh::hal

#define PILEMESH_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

// Defines the two entry points of a plugin. `factories` is a static array of DriverFactory.
//   static const pilemesh::hal::DriverFactory kFactories[] = {...};
//   PILEMESH_PLUGIN("acme", "ACME Corp", "1.0.0", "ACME wallboxes over Modbus", kFactories)
#define PILEMESH_PLUGIN(name, vendor, version, description, factories)                           \
  PILEMESH_PLUGIN_EXPORT std::uint32_t pilemesh_plugin_abi_version() noexcept {                  \
    return ::pilemesh::hal::kAbiVersion;                                                         \
  }                                                                                              \
  PILEMESH_PLUGIN_EXPORT const ::pilemesh::hal::PluginEntry* pilemesh_plugin_entry() noexcept {  \
    static const ::pilemesh::hal::PluginEntry entry{::pilemesh::hal::kAbiVersion,                \
                                                    name,                                        \
                                                    vendor,                                      \
                                                    version,                                     \
                                                    description,                                 \
                                                    factories,                                   \
                                                    sizeof(factories) / sizeof((factories)[0])}; \
    return &entry;                                                                               \
  }
