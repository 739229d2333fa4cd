// A pile's live document (GET /api/v1/status and the event stream) and its metrics: a meter
// register the pile has not reported yet is unknown, never 0 Wh.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pilemesh/api/api.hpp"

namespace pilemesh::api {
namespace {

gateway::PileState pile_with(bool energy_known) {
  gateway::PileState pile;
  pile.id = "drive";
  pile.name = "Driveway";
  pile.driver = "ocpp/charge-point-16";
  pile.health.online = true;
  hal::ConnectorInfo info;
  info.id = 1;
  pile.connectors.push_back(info);
  hal::ConnectorStatus status;
  status.energy_wh = 0;
  status.energy_known = energy_known;
  pile.status[1] = status;
  return pile;
}

TEST(PileJson, AnUnreportedRegisterIsNull) {
  const auto unknown = nlohmann::json::parse(pile_json(pile_with(false)));
  ASSERT_EQ(unknown["connectors"].size(), 1u);
  EXPECT_TRUE(unknown["connectors"][0]["energy_wh"].is_null());
  const auto known = nlohmann::json::parse(pile_json(pile_with(true)));
  EXPECT_EQ(known["connectors"][0]["energy_wh"], 0);
}

}  // namespace
}  // namespace pilemesh::api
