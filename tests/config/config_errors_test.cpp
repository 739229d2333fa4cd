// Invalid configurations: each kind of problem, with its exact position and key path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.hpp"
#include "pilemesh/config/config.hpp"

namespace pilemesh::config {
namespace {

using config_test::errors_of;
using config_test::load;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ConfigErrors, IntegerOutOfRange) {
  EXPECT_THAT(errors_of("[web]\nport = 70000\n"),
              ElementsAre("t.toml:2:8: web.port: expected an integer in 1..65535, found 70000"));
}

TEST(ConfigErrors, PortZeroIsNotAllowedInFiles) {
  EXPECT_THAT(errors_of("[web]\nport = 0\n"),
              ElementsAre("t.toml:2:8: web.port: expected an integer in 1..65535, found 0"));
}

TEST(ConfigErrors, WrongTypes) {
  EXPECT_THAT(errors_of(R"([gateway]
name = 5
[web]
port = "8080"
max_body_bytes = 2048.5
)"),
              ElementsAre("t.toml:2:8: gateway.name: expected a string of 1..64 characters, "
                          "found an integer",
                          "t.toml:4:8: web.port: expected an integer in 1..65535, found a string",
                          "t.toml:5:18: web.max_body_bytes: expected an integer in "
                          "1024..16777216, found a float"));
}

TEST(ConfigErrors, StringLength) {
  const std::string long_name(65, 'n');
  EXPECT_THAT(errors_of("gateway.name = \"" + long_name +
                        "\"\n[[piles]]\nid = \"a\"\n"
                        "name = \"\"\ndriver = \"x/y\"\n"),
              ElementsAre("t.toml:1:16: gateway.name: expected a string of 1..64 characters, "
                          "found 65 characters",
                          "t.toml:4:8: piles[0].name: expected a string of 1..64 characters, "
                          "found an empty string"));
}

TEST(ConfigErrors, LengthCountsCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < 64; ++i) name += "\xc3\xa9";  // 64 x "é": 128 bytes
  EXPECT_TRUE(load("gateway.name = \"" + name + "\"").config);
}

TEST(ConfigErrors, ChoiceWithSuggestion) {
  EXPECT_THAT(errors_of("[gateway]\nlog_level = \"inf\"\n"),
              ElementsAre("t.toml:2:13: gateway.log_level: expected one of "
                          "trace|debug|info|warn|error, found \"inf\"; did you mean \"info\"?"));
  EXPECT_THAT(errors_of("[gateway]\nlog_level = \"verbose\"\n"),
              ElementsAre("t.toml:2:13: gateway.log_level: expected one of "
                          "trace|debug|info|warn|error, found \"verbose\""));
}

TEST(ConfigErrors, BindMustBeAnAddress) {
  EXPECT_THAT(errors_of("[web]\nbind = \"localhost\"\n"),
              ElementsAre("t.toml:2:8: web.bind: expected an IPv4 or IPv6 address, found "
                          "\"localhost\""));
  EXPECT_THAT(errors_of("web.bind = \"127.0.0.1\\u0000junk\""),
              ElementsAre(HasSubstr("web.bind: expected an IPv4 or IPv6 address")));
  EXPECT_THAT(errors_of("web.bind = \"256.1.1.1\""), ElementsAre(HasSubstr("web.bind")));
}

TEST(ConfigErrors, UnknownKeySuggestsTheClosest) {
  EXPECT_THAT(errors_of("[web]\nprot = 8080\n"),
              ElementsAre("t.toml:2:1: web.prot: unknown key \"prot\"; did you mean \"port\"?"));
}

TEST(ConfigErrors, UnknownKeyListsTheAllowedOnesWhenNothingIsClose) {
  EXPECT_THAT(errors_of("[devices]\ncolour = \"red\"\n"),
              ElementsAre("t.toml:2:1: devices.colour: unknown key \"colour\"; allowed keys: "
                          "reconnect_initial_ms, reconnect_max_ms"));
}

TEST(ConfigErrors, UnknownTopLevelTable) {
  EXPECT_THAT(errors_of("[webb]\nport = 1\n"),
              ElementsAre("t.toml:1:2: webb: unknown key \"webb\"; did you mean \"web\"?"));
  EXPECT_THAT(errors_of("[[pile]]\nid = \"a\"\n"),
              ElementsAre(HasSubstr("pile: unknown key \"pile\"; did you mean \"piles\"?")));
}

TEST(ConfigErrors, UnknownDeviceKey) {
  EXPECT_THAT(errors_of("[[meters]]\nid = \"m\"\ndriverr = \"x/y\"\n"),
              ElementsAre("t.toml:1:1: meters[0].driver: required key is missing",
                          "t.toml:3:1: meters[0].driverr: unknown key \"driverr\"; did you mean "
                          "\"driver\"?"));
}

TEST(ConfigErrors, SectionThatIsNotATable) {
  EXPECT_THAT(errors_of("web = 5\n"),
              ElementsAre("t.toml:1:7: web: expected a table, found an integer"));
}

TEST(ConfigErrors, MissingRequiredKeysPointAtTheTable) {
  EXPECT_THAT(errors_of("[[piles]]\nid = \"a\"\ndriver = \"x/y\"\n\n[[piles]]\nname = \"B\"\n"),
              ElementsAre("t.toml:5:1: piles[1].id: required key is missing",
                          "t.toml:5:1: piles[1].driver: required key is missing"));
}

TEST(ConfigErrors, BadIdsAndDrivers) {
  EXPECT_THAT(
      errors_of(R"([[piles]]
id = "Pile 1"
driver = "simulator"
[[meters]]
id = "abcdefghijklmnopqrstuvwxyz0123456"
driver = "simulator/Meter"
[[meters]]
id = ""
driver = "/meter"
)"),
      ElementsAre(
          "t.toml:2:6: piles[0].id: expected an id of 1..32 characters from [a-z0-9_-], found "
          "\"Pile 1\"",
          "t.toml:3:10: piles[0].driver: expected \"<plugin>/<factory>\" with each part made of "
          "[a-z0-9_-], found \"simulator\"",
          "t.toml:5:6: meters[0].id: expected an id of 1..32 characters from [a-z0-9_-], found "
          "\"abcdefghijklmnopqrstuvwxyz0123456\"",
          "t.toml:6:10: meters[0].driver: expected \"<plugin>/<factory>\" with each part made "
          "of [a-z0-9_-], found \"simulator/Meter\"",
          "t.toml:8:6: meters[1].id: expected an id of 1..32 characters from [a-z0-9_-], found "
          "\"\"",
          "t.toml:9:10: meters[1].driver: expected \"<plugin>/<factory>\" with each part made "
          "of [a-z0-9_-], found \"/meter\""));
}

TEST(ConfigErrors, DuplicateIdsAcrossPilesAndMetersNameBothPlaces) {
  EXPECT_THAT(errors_of(R"([[piles]]
id = "a"
driver = "x/y"
[[piles]]
id = "b"
driver = "x/y"
[[meters]]
id = "a"
driver = "x/z"
)"),
              ElementsAre("t.toml:8:6: meters[0].id: duplicate id \"a\": already used by "
                          "piles[0].id at line 2:6"));
  EXPECT_THAT(errors_of("[[piles]]\nid = \"a\"\ndriver = \"x/y\"\n"
                        "[[piles]]\nid = \"a\"\ndriver = \"x/y\"\n"),
              ElementsAre("t.toml:5:6: piles[1].id: duplicate id \"a\": already used by "
                          "piles[0].id at line 2:6"));
}

TEST(ConfigErrors, PilesMustBeAnArrayOfTables) {
  EXPECT_THAT(errors_of("[piles]\nid = \"a\"\n"),
              ElementsAre(HasSubstr("piles: expected an array of tables ([[piles]]), found a "
                                    "table")));
  EXPECT_THAT(errors_of("piles = [1]\n"),
              ElementsAre("t.toml:1:10: piles[0]: expected a table, found an integer"));
}

TEST(ConfigErrors, AtMost64Piles) {
  std::string text;
  for (int i = 0; i < 65; ++i) {
    text += "[[piles]]\nid = \"p" + std::to_string(i) + "\"\ndriver = \"x/y\"\n";
  }
  EXPECT_THAT(errors_of(text),
              ElementsAre("t.toml:193:1: piles[64]: too many entries: at most 64 piles are "
                          "allowed"));
  text.erase(text.rfind("[[piles]]"));
  EXPECT_EQ(load(text).config->piles.size(), 64u);
}

TEST(ConfigErrors, SettingsMustBeATable) {
  EXPECT_THAT(errors_of("[[piles]]\nid = \"a\"\ndriver = \"x/y\"\nsettings = 3\n"),
              ElementsAre("t.toml:4:12: piles[0].settings: expected a table, found an integer"));
}

TEST(ConfigErrors, ReconnectInitialAboveMax) {
  EXPECT_THAT(errors_of("[devices]\nreconnect_initial_ms = 5000\nreconnect_max_ms = 2000\n"),
              ElementsAre("t.toml:2:24: devices.reconnect_initial_ms: must not be greater than "
                          "devices.reconnect_max_ms (5000 > 2000)"));
  // Against the default maximum (60000) only the written key has a position.
  EXPECT_TRUE(load("[devices]\nreconnect_initial_ms = 60000\n").config);
  EXPECT_THAT(errors_of("[devices]\nreconnect_max_ms = 1000\nreconnect_initial_ms = 1500\n"),
              ElementsAre(HasSubstr("t.toml:3:24: devices.reconnect_initial_ms")));
  // A rejected value is not compared again.
  EXPECT_THAT(errors_of("[devices]\nreconnect_initial_ms = 5000\nreconnect_max_ms = 20\n"),
              ElementsAre(HasSubstr("devices.reconnect_max_ms: expected an integer")));
}

TEST(ConfigErrors, PluginDirs) {
  EXPECT_THAT(errors_of("[plugins]\ndirs = \"/opt\"\n"),
              ElementsAre("t.toml:2:8: plugins.dirs: expected an array of paths, found a "
                          "string"));
  EXPECT_THAT(errors_of("[plugins]\ndirs = [\"/opt\", 3, \"\"]\n"),
              ElementsAre("t.toml:2:17: plugins.dirs[1]: expected a path, found an integer",
                          "t.toml:2:20: plugins.dirs[2]: expected a non-empty path, found an "
                          "empty string"));
  EXPECT_THAT(errors_of("gateway.data_dir = \"\"\n"),
              ElementsAre("t.toml:1:20: gateway.data_dir: expected a non-empty path, found an "
                          "empty string"));
}

TEST(ConfigErrors, AllProblemsAreReportedInFileOrder) {
  const LoadResult result = load(R"([web]
port = 0
prot = 1
bind = "x"

[gateway]
log_level = "loud"

[[piles]]
id = "P"
)");
  EXPECT_FALSE(result.config);
  EXPECT_THAT(
      config_test::error_lines(result.errors),
      ElementsAre(HasSubstr("t.toml:2:8: web.port:"), HasSubstr("t.toml:3:1: web.prot:"),
                  HasSubstr("t.toml:4:8: web.bind:"), HasSubstr("t.toml:7:13: gateway.log_level:"),
                  HasSubstr("t.toml:9:1: piles[0].driver: required key is missing"),
                  HasSubstr("t.toml:10:6: piles[0].id:")));
}

TEST(ConfigErrors, SyntaxErrorIsOneErrorWithItsPosition) {
  const LoadResult result = load("[web]\nport = = 3\n");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].file, "t.toml");
  EXPECT_EQ(result.errors[0].line, 2);
  EXPECT_GT(result.errors[0].column, 0);
  EXPECT_TRUE(result.errors[0].key_path.empty());
  EXPECT_FALSE(result.errors[0].message.empty());
}

TEST(ConfigErrors, DuplicateKeyIsASyntaxError) {
  const LoadResult result = load("[web]\nport = 1\nport = 2\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 3);
}

TEST(ConfigErrors, OversizedTextIsRejectedBeforeParsing) {
  const std::string text(kMaxConfigBytes + 1, '#');
  const LoadResult result = load(text);
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_THAT(result.errors[0].to_string(), HasSubstr("t.toml: configuration is too large"));
}

TEST(ConfigErrors, ControlCharactersInValuesAreEscapedInMessages) {
  EXPECT_THAT(errors_of("gateway.log_level = \"a\\nb\""),
              ElementsAre(HasSubstr("found \"a\\x0ab\"")));
}

}  // namespace
}  // namespace pilemesh::config

namespace pilemesh::config {
namespace {

TEST(ConfigErrors, GeohashAndIban) {
  EXPECT_THAT(config_test::errors_of("[gateway]\nlocation = \"Berlin\"\n"),
              ::testing::ElementsAre(
                  "t.toml:2:12: gateway.location: expected a geohash of 5..12 characters "
                  "(0-9 and b-z without i, l, o), found \"Berlin\""));
  // One digit off: the check digits no longer match.
  EXPECT_THAT(config_test::errors_of("[payments]\niban = \"DE89 3704 0044 0532 0130 01\"\n"),
              ::testing::ElementsAre(::testing::HasSubstr("payments.iban: expected an IBAN")));
  const LoadResult ok = config_test::load(
      "[gateway]\nlocation = \"u33dc1\"\n[payments]\niban = \"de89 3704 0044 0532 0130 00\"\n"
      "beneficiary = \"Erika Mustermann\"\n");
  ASSERT_TRUE(ok.config);
  EXPECT_EQ(ok.config->payments.iban, "DE89370400440532013000");
  EXPECT_EQ(ok.config->gateway.location, "u33dc1");
}

}  // namespace
}  // namespace pilemesh::config
