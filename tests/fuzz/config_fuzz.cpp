// Fuzzes configuration loading and driver-settings validation: any bytes must give a result or
// a list of errors, never a crash, a hang or an exception.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pilemesh/config/config.hpp"

namespace {

using pilemesh::hal::SettingSpec;

// One key of each type, so every branch of resolve_settings is reachable.
constexpr std::array kSpec = {
    SettingSpec::boolean("ev_connected", false, "A car is plugged in"),
    SettingSpec::integer("phases", 3, 1, 3, "Phases in use"),
    SettingSpec::real("battery_kwh", 60.0, 1.0, 200.0, "Battery capacity"),
    SettingSpec::string("fault", "none", "Injected fault", "none|comm_loss|faulted"),
    SettingSpec::string("label", "", "Free text"),
};

void check_devices(const std::vector<pilemesh::config::DeviceConfig>& devices) {
  for (const auto& device : devices) {
    const auto result = pilemesh::config::resolve_settings(device, kSpec, "fuzz.toml");
    for (const auto& error : result.errors) (void)error.to_string();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = pilemesh::config::load_string(text, "fuzz.toml", "/etc/pilemesh");
  for (const auto& error : result.errors) (void)error.to_string();
  if (result.config) {
    check_devices(result.config->piles);
    check_devices(result.config->meters);
  }
  return 0;
}
