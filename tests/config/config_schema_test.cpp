// The printed schema documents every key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "pilemesh/config/config.hpp"

namespace pilemesh::config {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

std::string schema_text() {
  std::ostringstream out;
  print_schema(out);
  return out.str();
}

TEST(ConfigSchema, MentionsEveryKey) {
  const std::string text = schema_text();
  for (const char* key : {"gateway.name",
                          "gateway.data_dir",
                          "gateway.log_level",
                          "plugins.dirs",
                          "web.bind",
                          "web.port",
                          "web.max_header_bytes",
                          "web.max_body_bytes",
                          "web.request_timeout_ms",
                          "web.max_connections",
                          "devices.reconnect_initial_ms",
                          "devices.reconnect_max_ms",
                          "piles[].id",
                          "piles[].name",
                          "piles[].driver",
                          "piles[].settings",
                          "meters[].id",
                          "meters[].name",
                          "meters[].driver",
                          "meters[].settings"}) {
    EXPECT_THAT(text, HasSubstr(std::string("  ") + key + " ")) << key;
  }
  for (const char* table :
       {"[gateway]", "[plugins]", "[web]", "[devices]", "[[piles]]", "[[meters]]"}) {
    EXPECT_THAT(text, HasSubstr(table)) << table;
  }
}

TEST(ConfigSchema, EachKeyHasTypeRangeDefaultAndDescription) {
  const std::string text = schema_text();
  EXPECT_THAT(text, ContainsRegex("web\\.port +integer 1\\.\\.65535 +default 8080 +— TCP port "
                                  "of the web UI and API"));
  EXPECT_THAT(text, ContainsRegex("gateway\\.log_level +trace\\|debug\\|info\\|warn\\|error +"
                                  "default \"info\" +— "));
  EXPECT_THAT(text, ContainsRegex("web\\.bind +IPv4/IPv6 address +default \"127\\.0\\.0\\.1\""));
  EXPECT_THAT(text, ContainsRegex("piles\\[\\]\\.id +string \\[a-z0-9_-\\]\\{1,32\\} +required"));
  EXPECT_THAT(text, ContainsRegex("piles\\[\\]\\.name +string, 1\\.\\.64 chars +default the id"));
  EXPECT_THAT(text, ContainsRegex("plugins\\.dirs +array of paths +default \\[\\]"));
}

}  // namespace
}  // namespace pilemesh::config
