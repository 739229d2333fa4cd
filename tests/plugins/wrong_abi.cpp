// A plugin built for another SDK ABI: the loader must refuse it after calling only the plain C
// version function — its entry function aborts to prove it is never called.
#include <cstdint>
#include <cstdlib>

#include "pilemesh/hal/plugin.hpp"

PILEMESH_PLUGIN_EXPORT std::uint32_t pilemesh_plugin_abi_version() noexcept {
  return pilemesh::hal::kAbiVersion + 41;
}
PILEMESH_PLUGIN_EXPORT const pilemesh::hal::PluginEntry* pilemesh_plugin_entry() noexcept {
  std::abort();
}
