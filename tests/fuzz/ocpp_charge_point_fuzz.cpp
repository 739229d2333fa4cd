// Fuzzes the OCPP 1.6 driver with what a connected charge point may send: the input is a
// sequence of frames separated by newlines, fed to a booted driver whose session the gateway
// authorized on connector 1. Never a crash nor an escaping exception; every frame the driver
// sends is JSON; a connector's register never goes backwards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "charge_point_16.hpp"
#include "fake_driver_context.hpp"
#include "fake_ocpp_endpoint.hpp"
#include "recording_observers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pilemesh;
  test::FakeDriverContext context("fuzz", ocpp::kChargePointSettings);
  context.settings().set_string("identity", "CP001").set_string("password", "demo-password");
  test::FakeOcppEndpoint endpoint;
  context.set_ocpp_endpoint(&endpoint);
  test::RecordingChargerObserver observer(&context);
  observer.token_decision = hal::IdTokenDecision::kAccepted;
  auto driver = std::make_unique<ocpp::ChargePoint16>(context);
  endpoint.open(hal::OcppVersion::k16);
  if (!driver->connect(observer).is_ok()) std::abort();
  endpoint.receive(R"([2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}])");
  (void)driver->authorize(1, "fuzz-token");
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::int64_t register_wh = -1;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    endpoint.receive(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    context.advance(std::chrono::seconds(1));
    hal::ConnectorStatus s;
    if (driver->status(1, s).is_ok() && s.energy_known) {
      if (s.energy_wh < register_wh) std::abort();
      register_wh = s.energy_wh;
    }
  }
  for (const auto& frame : endpoint.sent())
    if (frame.is_discarded()) std::abort();
  if (context.escaped_exceptions() != 0) std::abort();
  return 0;
}
