// <data_dir>/setup.toml: written by the first-run wizard, merged into the configuration.
#include <gtest/gtest.h>

#include <stdexcept>

#include "pilemesh/config/setup_file.hpp"

namespace pilemesh::config {
namespace {

SetupPile simulator(const std::string& id) {
  return {id,
          "Driveway wallbox",
          "simulator/charger",
          {{"ev_connected", true},
           {"max_current_a", 16.0},
           {"phases", std::int64_t{3}},
           {"fault", std::string("none")}}};
}

TEST(SetupFile, TheWizardsPileLoadsAsConfiguration) {
  const std::string text = setup_text_with("", simulator("pile-1"), "u33dc1", "Lindenstrasse 7");
  const LoadResult loaded = load_string(text, "setup.toml");
  ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  ASSERT_EQ(loaded.config->piles.size(), 1u);
  EXPECT_EQ(loaded.config->piles[0].id, "pile-1");
  EXPECT_EQ(loaded.config->piles[0].driver, "simulator/charger");
  EXPECT_EQ(setting_keys(*loaded.config->piles[0].settings),
            (std::vector<std::string>{"ev_connected", "fault", "max_current_a", "phases"}));
  EXPECT_EQ(loaded.config->gateway.location, "u33dc1");
  EXPECT_EQ(loaded.config->gateway.address, "Lindenstrasse 7");
}

TEST(SetupFile, ASecondPileIsAddedBesideTheFirst) {
  std::string text = setup_text_with("", simulator("pile-1"), "u33dc1", "");
  text = setup_text_with(text, simulator("pile-2"), "", "");
  const LoadResult loaded = load_string(text, "setup.toml");
  ASSERT_TRUE(loaded.config);
  ASSERT_EQ(loaded.config->piles.size(), 2u);
  EXPECT_EQ(loaded.config->piles[1].id, "pile-2");
  EXPECT_EQ(loaded.config->gateway.location, "u33dc1");  // kept
  EXPECT_THROW(setup_text_with("[[piles", simulator("x"), "", ""), std::invalid_argument);
}

TEST(SetupFile, MergingAddsPilesAndFillsOnlyWhatTheConfigurationLeavesOut) {
  Config config = *load_string(
                       "[gateway]\nlocation = \"u33dc9\"\n[[meters]]\nid = \"house\"\n"
                       "driver = \"simulator/meter\"\n",
                       "pilemesh.toml")
                       .config;
  const Config setup =
      *load_string(setup_text_with("", simulator("pile-1"), "u33dc1", "Lindenstrasse 7"),
                   "setup.toml")
           .config;
  EXPECT_TRUE(merge_setup(config, setup).empty());
  ASSERT_EQ(config.piles.size(), 1u);
  EXPECT_EQ(config.gateway.location, "u33dc9");  // the packaged file wins
  EXPECT_EQ(config.gateway.address, "Lindenstrasse 7");
  // An id used already is named, with the file it comes from.
  const Config clash =
      *load_string(setup_text_with("", simulator("house"), "", ""), "setup.toml").config;
  const auto errors = merge_setup(config, clash);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].to_string().find("setup.toml"), std::string::npos);
  EXPECT_NE(errors[0].to_string().find("\"house\" is used"), std::string::npos);
}

}  // namespace
}  // namespace pilemesh::config
