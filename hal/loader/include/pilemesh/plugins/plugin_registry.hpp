// Loads driver plugins from directories and looks up their factories.
//
// A plugin is refused — with one log-ready message naming the file and the reason — when its
// library cannot be loaded, lacks either entry symbol, reports another SDK ABI version, or
// describes itself inconsistently. Refusing one plugin never stops the others from loading.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/hal/plugin.hpp"

namespace boost::dll {
class shared_library;
}

namespace pilemesh::plugins {

struct LoadedPlugin {
  std::filesystem::path path;
  const hal::PluginEntry* entry = nullptr;  // valid while `library` is loaded
  std::shared_ptr<boost::dll::shared_library> library;
  std::string_view name() const { return entry->name; }
};

struct ScanResult {
  std::vector<std::string> refused;  // one message per refused plugin file
  std::string fatal;                 // non-empty when a directory itself cannot be read
};

class PluginRegistry {
 public:
  // Loads every "pilemesh-*.so" in `dirs` (each folder in name order, folders in the given
  // order). A plugin whose name is already loaded is refused.
  ScanResult scan(const std::vector<std::filesystem::path>& dirs);
  // Loads one plugin file; returns "" or the reason it was refused.
  std::string load(const std::filesystem::path& file);

  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }

  struct Found {
    const LoadedPlugin* plugin = nullptr;
    const hal::DriverFactory* factory = nullptr;
  };
  // Finds "<plugin>/<factory>". On failure `error` says what is missing and what exists.
  Found find(std::string_view driver, std::string& error) const;

 private:
  std::vector<LoadedPlugin> plugins_;
};

}  // namespace pilemesh::plugins
