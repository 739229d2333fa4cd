#include "pilemesh/plugins/plugin_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstring>
#include <set>
#include <system_error>

namespace pilemesh::plugins {
namespace {

constexpr const char* kAbiSymbol = "pilemesh_plugin_abi_version";
constexpr const char* kEntrySymbol = "pilemesh_plugin_entry";

bool is_identifier(const char* s) {
  if (s == nullptr || *s == '\0' || std::strlen(s) > 32) return false;
  for (; *s != '\0'; ++s) {
    const char c = *s;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

// The entry is read only after the ABI check, but it is still foreign data: check that it is
// coherent before anything else trusts it.
std::string check_entry(const hal::PluginEntry* entry) {
  if (entry == nullptr) return "its entry function returned no description";
  if (entry->abi_version != hal::kAbiVersion) return "its entry reports another ABI version";
  if (!is_identifier(entry->name)) return "its name is not a lower-case identifier";
  if (entry->vendor == nullptr || entry->version == nullptr || entry->description == nullptr) {
    return "its description lacks vendor, version or description";
  }
  if (entry->factory_count > 0 && entry->factories == nullptr) return "its factory table is null";
  std::set<std::string> names;
  for (std::size_t i = 0; i < entry->factory_count; ++i) {
    const hal::DriverFactory& f = entry->factories[i];
    if (!is_identifier(f.name)) return "factory #" + std::to_string(i) + " has an invalid name";
    if (!names.insert(f.name).second)
      return std::string("factory \"") + f.name + "\" is defined twice";
    const bool charger_ok =
        f.kind == hal::DriverKind::kCharger && f.create_charger && f.destroy_charger;
    const bool meter_ok = f.kind == hal::DriverKind::kMeter && f.create_meter && f.destroy_meter;
    const bool top_up_ok = f.kind == hal::DriverKind::kTopUp && f.create_top_up && f.destroy_top_up;
    if (!charger_ok && !meter_ok && !top_up_ok) {
      return std::string("factory \"") + f.name + "\" lacks create/destroy functions for its kind";
    }
    if (f.kind == hal::DriverKind::kTopUp && f.top_up_method < hal::kFirstPluginTopUpMethod) {
      return std::string("top-up method \"") + f.name + "\" has number " +
             std::to_string(f.top_up_method) + "; plugins use " +
             std::to_string(hal::kFirstPluginTopUpMethod) + " to 255";
    }
    if (f.settings_count > 0 && f.settings == nullptr) {
      return std::string("factory \"") + f.name + "\" has a null settings table";
    }
  }
  return "";
}

// Boost.DLL reports a failed dlopen() as a bare errno; the dynamic linker's own words
// ("undefined symbol: ...", "wrong ELF class") are what a plugin author needs.
std::string load_failure_reason(const std::filesystem::path& file, std::string fallback) {
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) {
    ::dlclose(handle);
    return fallback;
  }
  const char* reason = ::dlerror();
  return reason != nullptr ? reason : fallback;
}

}  // namespace

std::string PluginRegistry::load(const std::filesystem::path& file) {
  namespace dll = boost::dll;
  auto library = std::make_shared<dll::shared_library>();
  dll::fs::error_code ec;
  // rtld_local: two plugins may carry the same internal symbol names without clashing.
  library->load(file, dll::load_mode::rtld_now | dll::load_mode::rtld_local, ec);
  if (ec) return "cannot load library: " + load_failure_reason(file, ec.message());
  for (const char* symbol : {kAbiSymbol, kEntrySymbol}) {
    if (!library->has(symbol)) return std::string("missing entry symbol ") + symbol + "()";
  }
  // Only a plain C function is called before the ABI is known to match.
  const std::uint32_t abi = library->get<std::uint32_t()>(kAbiSymbol)();
  if (abi != hal::kAbiVersion) {
    return "built for plugin SDK ABI " + std::to_string(abi) + ", this gateway needs ABI " +
           std::to_string(hal::kAbiVersion) + "; rebuild the plugin against this SDK";
  }
  const hal::PluginEntry* entry = library->get<const hal::PluginEntry*()>(kEntrySymbol)();
  if (std::string problem = check_entry(entry); !problem.empty()) return problem;
  for (const LoadedPlugin& loaded : plugins_) {
    if (loaded.name() == entry->name) {
      return std::string("a plugin named \"") + entry->name + "\" is already loaded from " +
             loaded.path.string();
    }
  }
  plugins_.push_back(LoadedPlugin{file, entry, std::move(library)});
  return "";
}

ScanResult PluginRegistry::scan(const std::vector<std::filesystem::path>& dirs) {
  ScanResult result;
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) {
      result.fatal = "plugin directory " + dir.string() + ": cannot read it: " + ec.message();
      return result;
    }
    for (const auto& item : it) {
      const std::string name = item.path().filename().string();
      if (name.starts_with("pilemesh-") && name.ends_with(".so")) files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (std::string reason = load(file); !reason.empty()) {
        result.refused.push_back("plugin " + file.string() + " refused: " + reason);
      }
    }
  }
  return result;
}

PluginRegistry::Found PluginRegistry::find(std::string_view driver, std::string& error) const {
  const auto slash = driver.find('/');
  if (slash == std::string_view::npos) {
    error = "driver \"" + std::string(driver) + "\" is not of the form plugin/factory";
    return {};
  }
  const std::string_view plugin_name = driver.substr(0, slash);
  const std::string_view factory_name = driver.substr(slash + 1);
  std::string loaded_names;
  for (const LoadedPlugin& plugin : plugins_) {
    loaded_names += (loaded_names.empty() ? "" : ", ") + std::string(plugin.name());
    if (plugin.name() != plugin_name) continue;
    std::string factories;
    for (std::size_t i = 0; i < plugin.entry->factory_count; ++i) {
      const hal::DriverFactory& f = plugin.entry->factories[i];
      if (factory_name == f.name) return {&plugin, &f};
      factories += (factories.empty() ? "" : ", ") + std::string(f.name);
    }
    error = "plugin \"" + std::string(plugin_name) + "\" has no driver \"" +
            std::string(factory_name) + "\" (it has: " + factories + ")";
    return {};
  }
  error = "no plugin named \"" + std::string(plugin_name) +
          "\" is loaded (loaded: " + (loaded_names.empty() ? "none" : loaded_names) + ")";
  return {};
}

}  // namespace pilemesh::plugins
