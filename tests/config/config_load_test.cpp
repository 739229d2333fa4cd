// Loading valid configurations: defaults, values, path resolution, files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "config_test_util.hpp"
#include "pilemesh/config/config.hpp"
#include "temp_dir.hpp"

namespace pilemesh::config {
namespace {

using config_test::errors_of;
using config_test::load;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace std::chrono_literals;

using pilemesh::test::TempDir;

std::filesystem::path write(const TempDir& dir, const std::string& name, std::string_view text) {
  std::ofstream(dir.path() / name) << text;
  return dir.path() / name;
}

TEST(ConfigLoad, EmptyTextGivesAllDefaults) {
  const LoadResult result = load("");
  ASSERT_THAT(result.errors, IsEmpty());
  ASSERT_TRUE(result.config);
  const Config& c = *result.config;
  EXPECT_EQ(c.source, "t.toml");
  EXPECT_EQ(c.gateway.name, "pilemesh");
  EXPECT_EQ(c.gateway.data_dir, "/var/lib/pilemesh");
  EXPECT_EQ(c.gateway.log_level, "info");
  EXPECT_THAT(c.plugins.dirs, IsEmpty());
  EXPECT_EQ(c.web.bind, "127.0.0.1");
  EXPECT_EQ(c.web.port, 8080);
  EXPECT_EQ(c.web.max_header_bytes, 8192u);
  EXPECT_EQ(c.web.max_body_bytes, 1048576u);
  EXPECT_EQ(c.web.request_timeout, 10000ms);
  EXPECT_EQ(c.web.max_connections, 256u);
  EXPECT_EQ(c.devices.reconnect_initial, 1000ms);
  EXPECT_EQ(c.devices.reconnect_max, 60000ms);
  EXPECT_THAT(c.piles, IsEmpty());
  EXPECT_THAT(c.meters, IsEmpty());
}

TEST(ConfigLoad, SchemaDefaultsMatchTheStructDefaults) {
  // Code that builds a Config without a file must see the same defaults as an empty file.
  const Config loaded = *load("").config;
  const Config built;
  EXPECT_EQ(loaded.gateway.name, built.gateway.name);
  EXPECT_EQ(loaded.gateway.data_dir, built.gateway.data_dir);
  EXPECT_EQ(loaded.gateway.log_level, built.gateway.log_level);
  EXPECT_EQ(loaded.web.bind, built.web.bind);
  EXPECT_EQ(loaded.web.port, built.web.port);
  EXPECT_EQ(loaded.web.max_header_bytes, built.web.max_header_bytes);
  EXPECT_EQ(loaded.web.max_body_bytes, built.web.max_body_bytes);
  EXPECT_EQ(loaded.web.request_timeout, built.web.request_timeout);
  EXPECT_EQ(loaded.web.max_connections, built.web.max_connections);
  EXPECT_EQ(loaded.devices.reconnect_initial, built.devices.reconnect_initial);
  EXPECT_EQ(loaded.devices.reconnect_max, built.devices.reconnect_max);
}

TEST(ConfigLoad, ReadsEveryKey) {
  const LoadResult result = load(R"([gateway]
name = "Garage"
data_dir = "/srv/pm"
log_level = "debug"
[plugins]
dirs = ["/opt/pm/plugins", "/usr/local/lib/pm"]
[web]
bind = "0.0.0.0"
port = 9000
max_header_bytes = 1024
max_body_bytes = 16777216
request_timeout_ms = 100
max_connections = 10000
[devices]
reconnect_initial_ms = 60000
reconnect_max_ms = 3600000
[[piles]]
id = "p1"
name = "Wallbox"
driver = "simulator/charger"
[piles.settings]
phases = 3
[[meters]]
id = "m_1"
driver = "modbus-rtu/sdm630"
)");
  ASSERT_THAT(config_test::error_lines(result.errors), IsEmpty());
  const Config& c = *result.config;
  EXPECT_EQ(c.gateway.name, "Garage");
  EXPECT_EQ(c.gateway.data_dir, "/srv/pm");
  EXPECT_EQ(c.gateway.log_level, "debug");
  EXPECT_THAT(c.plugins.dirs, ElementsAre("/opt/pm/plugins", "/usr/local/lib/pm"));
  EXPECT_EQ(c.web.bind, "0.0.0.0");
  EXPECT_EQ(c.web.port, 9000);
  EXPECT_EQ(c.web.max_header_bytes, 1024u);
  EXPECT_EQ(c.web.max_body_bytes, 16777216u);
  EXPECT_EQ(c.web.request_timeout, 100ms);
  EXPECT_EQ(c.web.max_connections, 10000u);
  EXPECT_EQ(c.devices.reconnect_initial, 60000ms);
  EXPECT_EQ(c.devices.reconnect_max, 3600000ms);
  ASSERT_EQ(c.piles.size(), 1u);
  EXPECT_EQ(c.piles[0].id, "p1");
  EXPECT_EQ(c.piles[0].name, "Wallbox");
  EXPECT_EQ(c.piles[0].driver, "simulator/charger");
  EXPECT_EQ(c.piles[0].key_path, "piles[0]");
  ASSERT_NE(c.piles[0].settings, nullptr);
  EXPECT_THAT(setting_keys(*c.piles[0].settings), ElementsAre("phases"));
  ASSERT_EQ(c.meters.size(), 1u);
  EXPECT_EQ(c.meters[0].id, "m_1");
  EXPECT_EQ(c.meters[0].name, "m_1");  // defaults to the id
  EXPECT_EQ(c.meters[0].driver, "modbus-rtu/sdm630");
  EXPECT_EQ(c.meters[0].key_path, "meters[0]");
  ASSERT_NE(c.meters[0].settings, nullptr);  // never null, even without a settings table
  EXPECT_THAT(setting_keys(*c.meters[0].settings), IsEmpty());
}

TEST(ConfigLoad, InlineArrayOfTablesWorksToo) {
  const LoadResult result =
      load(R"(piles = [{id = "a", driver = "x/y"}, {id = "b", driver = "x/y"}])");
  ASSERT_THAT(config_test::error_lines(result.errors), IsEmpty());
  ASSERT_EQ(result.config->piles.size(), 2u);
  EXPECT_EQ(result.config->piles[1].id, "b");
  EXPECT_EQ(result.config->piles[1].key_path, "piles[1]");
}

TEST(ConfigLoad, RelativePathsResolveAgainstTheBaseDir) {
  const LoadResult result = load(R"([gateway]
data_dir = "state/../data"
[plugins]
dirs = ["plugins", "/abs/dir", "../shared/plugins"]
)");
  ASSERT_THAT(config_test::error_lines(result.errors), IsEmpty());
  EXPECT_EQ(result.config->gateway.data_dir, "/etc/pilemesh/data");
  EXPECT_THAT(result.config->plugins.dirs,
              ElementsAre("/etc/pilemesh/plugins", "/abs/dir", "/etc/shared/plugins"));
}

TEST(ConfigLoad, AcceptsIpv6AndIpv4Binds) {
  for (const char* bind : {"::", "::1", "fe80::1", "2001:db8::42", "0.0.0.0", "192.168.1.20"}) {
    const LoadResult result = load(std::string("web.bind = \"") + bind + "\"");
    ASSERT_TRUE(result.config) << bind;
    EXPECT_EQ(result.config->web.bind, bind);
  }
}

TEST(ConfigLoad, PortBoundsAreInclusive) {
  EXPECT_EQ(load("web.port = 1").config->web.port, 1);
  EXPECT_EQ(load("web.port = 65535").config->web.port, 65535);
}

TEST(ConfigLoad, EqualReconnectDelaysAreFine) {
  const LoadResult result =
      load("[devices]\nreconnect_initial_ms = 5000\nreconnect_max_ms = 5000\n");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->devices.reconnect_initial, 5000ms);
}

TEST(ConfigLoadFile, ResolvesRelativePathsAgainstTheFilesFolder) {
  TempDir dir;
  const auto file = write(dir, "pm.toml", "[gateway]\ndata_dir = \"state\"\n");
  const LoadResult result = load_file(file);
  ASSERT_THAT(config_test::error_lines(result.errors), IsEmpty());
  EXPECT_EQ(result.config->source, file.string());
  EXPECT_EQ(result.config->gateway.data_dir, dir.path() / "state");
  EXPECT_TRUE(result.config->gateway.data_dir.is_absolute());
}

TEST(ConfigLoadFile, MissingFileIsOneErrorWithTheOsReason) {
  TempDir dir;
  const auto file = dir.path() / "absent.toml";
  const LoadResult result = load_file(file);
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_EQ(result.errors[0].file, file.string());
  EXPECT_EQ(result.errors[0].to_string(),
            file.string() + ": cannot read the file: No such file or directory");
}

TEST(ConfigLoadFile, DirectoryIsAnError) {
  TempDir dir;
  const LoadResult result = load_file(dir.path());
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_THAT(result.errors[0].message, HasSubstr("Is a directory"));
}

TEST(ConfigLoadFile, SyntaxErrorNamesTheLine) {
  TempDir dir;
  const auto file = write(dir, "broken.toml", "[web]\nport = 8080\nbind = \"127.0.0.1\n");
  const LoadResult result = load_file(file);
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].file, file.string());
  EXPECT_EQ(result.errors[0].line, 3);
  EXPECT_GT(result.errors[0].column, 0);
  EXPECT_EQ(result.errors[0].key_path, "");
  EXPECT_THAT(result.errors[0].to_string(), HasSubstr(file.string() + ":3:"));
}

TEST(ConfigLoadFile, OversizedFileIsRejected) {
  TempDir dir;
  const auto file = write(dir, "big.toml", "# " + std::string(kMaxConfigBytes, 'x') + "\n");
  const LoadResult result = load_file(file);
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_THAT(result.errors[0].message, HasSubstr("too large"));
}

TEST(ConfigError, ToStringOmitsWhatIsUnknown) {
  EXPECT_EQ((ConfigError{"a.toml", 12, 8, "web.port", "bad"}).to_string(),
            "a.toml:12:8: web.port: bad");
  EXPECT_EQ((ConfigError{"a.toml", 0, 0, "web.port", "bad"}).to_string(), "a.toml: web.port: bad");
  EXPECT_EQ((ConfigError{"a.toml", 3, 1, "", "bad"}).to_string(), "a.toml:3:1: bad");
  EXPECT_EQ((ConfigError{"a.toml", 0, 0, "", "bad"}).to_string(), "a.toml: bad");
}

}  // namespace
}  // namespace pilemesh::config
