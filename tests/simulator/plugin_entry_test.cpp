// The built plugin, loaded with dlopen as the gateway does: its entry, its factories, and the
// factory refusing bad settings with an error string instead of an exception.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "fake_driver_context.hpp"
#include "pilemesh/hal/plugin.hpp"
#include "recording_observers.hpp"

namespace pilemesh::simulator {
namespace {

using namespace std::chrono_literals;

class PluginEntryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = ::dlopen(PILEMESH_SIMULATOR_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << ::dlerror();
    using AbiFn = std::uint32_t (*)();
    using EntryFn = const hal::PluginEntry* (*)();
    auto abi = reinterpret_cast<AbiFn>(::dlsym(handle_, "pilemesh_plugin_abi_version"));
    auto entry = reinterpret_cast<EntryFn>(::dlsym(handle_, "pilemesh_plugin_entry"));
    ASSERT_NE(abi, nullptr);
    ASSERT_NE(entry, nullptr);
    ASSERT_EQ(abi(), hal::kAbiVersion);
    entry_ = entry();
    ASSERT_NE(entry_, nullptr);
  }
  void TearDown() override {
    if (handle_ != nullptr) ::dlclose(handle_);
  }
  const hal::DriverFactory& factory(const char* name) {
    for (std::size_t i = 0; i < entry_->factory_count; ++i) {
      if (std::strcmp(entry_->factories[i].name, name) == 0) return entry_->factories[i];
    }
    throw std::runtime_error(std::string("no factory ") + name);
  }
  static std::span<const hal::SettingSpec> specs(const hal::DriverFactory& f) {
    return {f.settings, f.settings_count};
  }

  void* handle_ = nullptr;
  const hal::PluginEntry* entry_ = nullptr;
};

TEST_F(PluginEntryTest, DescribesItself) {
  EXPECT_STREQ(entry_->name, "simulator");
  EXPECT_STREQ(entry_->vendor, "pilemesh");
  EXPECT_EQ(entry_->abi_version, hal::kAbiVersion);
  ASSERT_EQ(entry_->factory_count, 2u);
  EXPECT_EQ(factory("charger").kind, hal::DriverKind::kCharger);
  EXPECT_NE(factory("charger").create_charger, nullptr);
  EXPECT_EQ(factory("meter").kind, hal::DriverKind::kMeter);
  EXPECT_NE(factory("meter").create_meter, nullptr);
  // Every setting has a description.
  for (const char* name : {"charger", "meter"}) {
    for (const auto& spec : specs(factory(name))) EXPECT_GT(std::strlen(spec.description), 0u);
  }
}

TEST_F(PluginEntryTest, FactoryRefusesTwoPhasesWithAnError) {
  const auto& f = factory("charger");
  test::FakeDriverContext ctx("pile-1", specs(f));
  ctx.settings().set_int("phases", 2);
  std::string error;
  hal::Charger* charger = f.create_charger(ctx, error);
  EXPECT_EQ(charger, nullptr);
  EXPECT_NE(error.find("phases = 2"), std::string::npos) << error;
}

TEST_F(PluginEntryTest, FactoriesBuildWorkingDrivers) {
  const auto& cf = factory("charger");
  test::FakeDriverContext pile_ctx("pile-1", specs(cf));
  pile_ctx.settings().set_bool("ev_connected", true).set_bool("auto_start", true);
  std::string error;
  hal::Charger* charger = cf.create_charger(pile_ctx, error);
  ASSERT_NE(charger, nullptr) << error;
  test::RecordingChargerObserver observer(&pile_ctx);
  ASSERT_TRUE(charger->connect(observer).is_ok());
  pile_ctx.advance(3s);
  ASSERT_TRUE(observer.last().has_value());
  EXPECT_EQ(observer.last()->state, hal::ConnectorState::kCharging);
  EXPECT_EQ(observer.last()->power_w, 11040);

  const auto& mf = factory("meter");
  test::FakeDriverContext house_ctx("house", specs(mf));
  house_ctx.settings().set_int("base_load_w", 0);
  hal::Meter* meter = mf.create_meter(house_ctx, error);
  ASSERT_NE(meter, nullptr) << error;
  test::RecordingMeterObserver meter_observer;
  ASSERT_TRUE(meter->connect(meter_observer).is_ok());
  house_ctx.advance(1s);
  hal::MeterReading reading;
  ASSERT_TRUE(meter->read(reading).is_ok());
  EXPECT_EQ(reading.power_w, 11040);  // the meter sees the plugin's own pile

  meter->disconnect();
  charger->disconnect();
  mf.destroy_meter(meter);
  cf.destroy_charger(charger);
}

}  // namespace
}  // namespace pilemesh::simulator
