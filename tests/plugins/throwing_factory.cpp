// A plugin whose charger constructor throws: the factory must turn that into an error string
// and the gateway must refuse this one device and keep the others.
#include <stdexcept>

#include "pilemesh/hal/plugin.hpp"

namespace {
using namespace pilemesh::hal;

class ThrowingCharger final : public Charger {
 public:
  explicit ThrowingCharger(DriverContext&) {
    throw std::runtime_error("wallbox firmware 0.9 is not supported");
  }
  Status connect(ChargerObserver&) noexcept override { return Status::ok(); }
  void disconnect() noexcept override {}
  std::vector<ConnectorInfo> connectors() const override { return {}; }
  Status status(ConnectorId, ConnectorStatus&) const noexcept override { return Status::ok(); }
  Status set_current_limit(ConnectorId, std::int32_t) noexcept override { return Status::ok(); }
  Status set_phases(ConnectorId, int) noexcept override { return Status::ok(); }
  Status set_enabled(ConnectorId, bool) noexcept override { return Status::ok(); }
  Status authorize(ConnectorId, std::string_view) noexcept override { return Status::ok(); }
};

constexpr SettingSpec kSettings[] = {
    SettingSpec::boolean("unused", false, "Present so the table is not empty"),
};
const DriverFactory kFactories[] = {
    charger_factory<ThrowingCharger>("charger", "Always refuses to start", kSettings),
};
}  // namespace

PILEMESH_PLUGIN("throwing", "pilemesh tests", "0.0.1", "A plugin whose factory throws", kFactories)
