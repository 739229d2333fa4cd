// A plugin that forgot its entry function: only the ABI version is exported.
#include <cstdint>

#include "pilemesh/hal/plugin.hpp"

PILEMESH_PLUGIN_EXPORT std::uint32_t pilemesh_plugin_abi_version() noexcept {
  return pilemesh::hal::kAbiVersion;
}
