// The plugin loader on real .so files: the example and simulator plugins, and plugins that are
// wrong on purpose (another ABI, a missing symbol, a broken entry, a factory that throws).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "fake_driver_context.hpp"
#include "pilemesh/plugins/driver_instance.hpp"
#include "pilemesh/plugins/plugin_registry.hpp"
#include "recording_observers.hpp"

namespace pilemesh::plugins {
namespace {

const std::filesystem::path kPluginDir = PILEMESH_PLUGIN_DIR;
const std::filesystem::path kTestPluginDir = PILEMESH_TEST_PLUGIN_DIR;

std::string refusal_for(const ScanResult& scan, std::string_view file) {
  for (const auto& message : scan.refused)
    if (message.find(file) != std::string::npos) return message;
  return "";
}

TEST(PluginRegistry, LoadsTheRealPluginsAndFindsTheirDrivers) {
  PluginRegistry registry;
  const ScanResult scan = registry.scan({kPluginDir});
  EXPECT_TRUE(scan.fatal.empty()) << scan.fatal;
  EXPECT_TRUE(scan.refused.empty()) << scan.refused.front();
  std::string error;
  const auto sim = registry.find("simulator/charger", error);
  ASSERT_NE(sim.factory, nullptr) << error;
  EXPECT_EQ(sim.factory->kind, hal::DriverKind::kCharger);
  EXPECT_GT(sim.factory->settings_count, 0u);
  EXPECT_NE(registry.find("example/constant-meter", error).factory, nullptr) << error;
}

TEST(PluginRegistry, RefusesEachBadPluginWithItsReasonAndKeepsTheRest) {
  PluginRegistry registry;
  const ScanResult scan = registry.scan({kPluginDir, kTestPluginDir});
  EXPECT_TRUE(scan.fatal.empty());
  EXPECT_NE(refusal_for(scan, "pilemesh-wrong-abi.so")
                .find("built for plugin SDK ABI " + std::to_string(hal::kAbiVersion + 41) +
                      ", this gateway needs ABI " + std::to_string(hal::kAbiVersion)),
            std::string::npos);
  EXPECT_NE(refusal_for(scan, "pilemesh-missing-symbol.so")
                .find("missing entry symbol pilemesh_plugin_entry()"),
            std::string::npos);
  EXPECT_NE(refusal_for(scan, "pilemesh-bad-entry.so").find("lacks create/destroy functions"),
            std::string::npos);
  EXPECT_NE(refusal_for(scan, "pilemesh-low-top-up-number.so")
                .find("top-up method \"sepa\" has number 2; plugins use 16 to 255"),
            std::string::npos);
  EXPECT_EQ(scan.refused.size(), 4u);
  std::string error;
  EXPECT_NE(registry.find("simulator/charger", error).factory, nullptr);
  EXPECT_NE(registry.find("throwing/charger", error).factory, nullptr);
}

TEST(PluginRegistry, RefusesASecondPluginWithTheSameName) {
  PluginRegistry registry;
  EXPECT_EQ(registry.load(kPluginDir / "pilemesh-example.so"), "");
  EXPECT_NE(registry.load(kPluginDir / "pilemesh-example.so").find("already loaded"),
            std::string::npos);
}

TEST(PluginRegistry, AMissingDirectoryIsFatalAndSaysWhich) {
  PluginRegistry registry;
  const ScanResult scan = registry.scan({"/nonexistent/plugins"});
  EXPECT_NE(scan.fatal.find("/nonexistent/plugins"), std::string::npos) << scan.fatal;
}

TEST(PluginRegistry, ExplainsWhatExistsWhenADriverIsNotFound) {
  PluginRegistry registry;
  registry.scan({kPluginDir});
  std::string error;
  EXPECT_EQ(registry.find("simulator/wallbox", error).factory, nullptr);
  EXPECT_NE(error.find("it has: charger"), std::string::npos) << error;
  EXPECT_EQ(registry.find("acme/wallbox", error).factory, nullptr);
  EXPECT_NE(error.find("no plugin named \"acme\""), std::string::npos) << error;
  EXPECT_EQ(registry.find("no-slash", error).factory, nullptr);
}

TEST(DriverInstance, AThrowingFactoryBecomesAnErrorNotAnException) {
  PluginRegistry registry;
  ASSERT_EQ(registry.load(kTestPluginDir / "pilemesh-throwing-factory.so"), "");
  std::string error;
  const auto found = registry.find("throwing/charger", error);
  ASSERT_NE(found.factory, nullptr);
  test::FakeDriverContext context("broken");
  auto charger = create_charger(found, context, error);
  EXPECT_EQ(charger, nullptr);
  EXPECT_NE(error.find("wallbox firmware 0.9 is not supported"), std::string::npos) << error;
}

TEST(DriverInstance, TheExamplePluginMeasuresThroughTheSdk) {
  PluginRegistry registry;
  ASSERT_EQ(registry.load(kPluginDir / "pilemesh-example.so"), "");
  std::string error;
  const auto found = registry.find("example/constant-meter", error);
  ASSERT_NE(found.factory, nullptr) << error;
  test::FakeDriverContext context(
      "solar", std::span(found.factory->settings, found.factory->settings_count));
  context.settings().set_int("power_w", 3600);
  auto meter = create_meter(found, context, error);
  ASSERT_NE(meter, nullptr) << error;
  test::RecordingMeterObserver observer;
  ASSERT_TRUE(meter->connect(observer).is_ok());
  context.advance(std::chrono::seconds(10));
  hal::MeterReading reading;
  ASSERT_TRUE(meter->read(reading).is_ok());
  EXPECT_EQ(reading.power_w, 3600);
  EXPECT_EQ(reading.energy_import_wh, 10);  // 3600 W for 10 s
  meter->disconnect();
}

TEST(DriverInstance, ATopUpMethodFromAPluginGivesInstructions) {
  PluginRegistry registry;
  ASSERT_EQ(registry.load(kTestPluginDir / "pilemesh-voucher-top-up.so"), "");
  std::string error;
  const auto found = registry.find("voucher/shop", error);
  ASSERT_NE(found.factory, nullptr) << error;
  EXPECT_EQ(found.factory->kind, hal::DriverKind::kTopUp);
  EXPECT_EQ(found.factory->top_up_method, 42);
  test::FakeDriverContext context(
      "kiosk", std::span(found.factory->settings, found.factory->settings_count));
  context.settings().set_string("shop", "Kiosk Lindenstrasse");
  auto method = create_top_up(found, context, error);
  ASSERT_NE(method, nullptr) << error;
  hal::TopUpRequest request{std::string(64, 'a'), std::string(64, 'b'), 2550, "EUR", "ALICE"};
  hal::PaymentInstructions out;
  ASSERT_TRUE(method->instructions(request, out).is_ok());
  EXPECT_EQ(out.summary, "Pay 25.50 EUR in cash at Kiosk Lindenstrasse and quote V-aaaaaaaa.");
  EXPECT_EQ(out.qr_text, "V-aaaaaaaa");
  request.amount = 10001;  // over the default limit of 100.00
  const hal::Status refused = method->instructions(request, out);
  EXPECT_EQ(refused.code(), hal::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("at most 100 EUR"), std::string::npos) << refused.message();
  // What the plugin's class throws stays inside the plugin: an internal error.
  request.amount = 100;
  request.reference = "throw";
  const hal::Status thrown = method->instructions(request, out);
  EXPECT_EQ(thrown.code(), hal::StatusCode::kInternal);
  EXPECT_NE(thrown.message().find("till is broken"), std::string::npos) << thrown.message();
  // A top-up factory is not a driver: asking it for a charger fails cleanly.
  EXPECT_EQ(create_charger(found, context, error), nullptr);
}

}  // namespace
}  // namespace pilemesh::plugins
