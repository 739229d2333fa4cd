// The example configurations shipped in config/examples load without errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "config_test_util.hpp"
#include "pilemesh/config/config.hpp"

namespace pilemesh::config {
namespace {

using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

const std::filesystem::path kExamples = PILEMESH_CONFIG_EXAMPLES_DIR;

TEST(ConfigExamples, DemoLoads) {
  const LoadResult result = load_file(kExamples / "demo.toml");
  ASSERT_THAT(config_test::error_lines(result.errors), IsEmpty());
  const Config& c = *result.config;
  EXPECT_EQ(c.gateway.name, "demo");
  EXPECT_EQ(c.web.bind, "127.0.0.1");
  EXPECT_EQ(c.web.port, 8080);
  EXPECT_EQ(c.gateway.data_dir, "/var/lib/pilemesh");  // left to --data-dir
  ASSERT_EQ(c.piles.size(), 1u);
  EXPECT_EQ(c.piles[0].id, "pile-1");
  EXPECT_EQ(c.piles[0].name, "Driveway wallbox");
  EXPECT_EQ(c.piles[0].driver, "simulator/charger");
  EXPECT_THAT(setting_keys(*c.piles[0].settings),
              UnorderedElementsAre("ev_connected", "auto_start", "battery_kwh", "soc_start_pct",
                                   "phases", "max_current_a"));
  ASSERT_EQ(c.meters.size(), 1u);
  EXPECT_EQ(c.meters[0].id, "house");
  EXPECT_EQ(c.meters[0].driver, "simulator/meter");
  EXPECT_THAT(setting_keys(*c.meters[0].settings), UnorderedElementsAre("base_load_w"));
}

TEST(ConfigExamples, OcppExampleRunsAnEndpointForItsWallbox) {
  const LoadResult result = load_file(kExamples / "ocpp.toml");
  ASSERT_THAT(config_test::error_lines(result.errors), IsEmpty());
  const Config& c = *result.config;
  EXPECT_TRUE(c.ocpp.enabled);
  EXPECT_EQ(c.ocpp.bind, "127.0.0.1");
  EXPECT_EQ(c.ocpp.port, 8887);
  ASSERT_EQ(c.piles.size(), 1u);
  EXPECT_EQ(c.piles[0].driver, "ocpp/charge-point-16");
  EXPECT_THAT(setting_keys(*c.piles[0].settings),
              UnorderedElementsAre("identity", "security_profile", "password", "connectors",
                                   "connector_type", "max_current_a", "phases"));
}

TEST(ConfigExamples, FullExampleLoadsWithTheDefaults) {
  const LoadResult result = load_file(kExamples / "pilemesh.toml");
  ASSERT_THAT(config_test::error_lines(result.errors), IsEmpty());
  const Config& c = *result.config;
  const Config defaults = *load_string("", "defaults").config;
  EXPECT_EQ(c.gateway.name, defaults.gateway.name);
  EXPECT_EQ(c.gateway.data_dir, defaults.gateway.data_dir);
  EXPECT_EQ(c.gateway.log_level, defaults.gateway.log_level);
  EXPECT_EQ(c.plugins.dirs, defaults.plugins.dirs);
  EXPECT_EQ(c.web.bind, defaults.web.bind);
  EXPECT_EQ(c.web.port, defaults.web.port);
  EXPECT_EQ(c.web.max_header_bytes, defaults.web.max_header_bytes);
  EXPECT_EQ(c.web.max_body_bytes, defaults.web.max_body_bytes);
  EXPECT_EQ(c.web.request_timeout, defaults.web.request_timeout);
  EXPECT_EQ(c.web.max_connections, defaults.web.max_connections);
  EXPECT_EQ(c.devices.reconnect_initial, defaults.devices.reconnect_initial);
  EXPECT_EQ(c.devices.reconnect_max, defaults.devices.reconnect_max);
  ASSERT_EQ(c.piles.size(), 1u);
  ASSERT_EQ(c.meters.size(), 1u);
  EXPECT_THAT(setting_keys(*c.piles[0].settings), Not(IsEmpty()));
  EXPECT_THAT(setting_keys(*c.meters[0].settings), Not(IsEmpty()));
}

}  // namespace
}  // namespace pilemesh::config
