#include "meter_values.hpp"

#include <gtest/gtest.h>

namespace pilemesh::ocpp {
namespace {

using nlohmann::json;

json sample16(std::string value, std::string measurand, std::string unit = "",
              std::string phase = "") {
  json s = {{"value", value}, {"measurand", measurand}};
  if (!unit.empty()) s["unit"] = unit;
  if (!phase.empty()) s["phase"] = phase;
  return s;
}

json at(json sampled) {
  return json::array({{{"timestamp", "2026-12-06T10:00:00Z"}, {"sampledValue", sampled}}});
}

TEST(MeterValues16, ReadsEachMeasurandInTheSdksUnits) {
  const auto r = read_meter_values_16(at({
      sample16("12.345", "Energy.Active.Import.Register", "kWh"),
      sample16("7.4", "Power.Active.Import", "kW"),
      sample16("15.9", "Current.Import", "A", "L1"),
      sample16("16.1", "Current.Import", "A", "L2"),
      sample16("231.5", "Voltage", "V", "L1-N"),
      sample16("229", "Voltage", "V", "L3-N"),
  }));
  EXPECT_EQ(r.energy_wh, 12345);
  EXPECT_EQ(r.power_w, 7400);
  EXPECT_EQ(r.current_ma[0], 15900);
  EXPECT_EQ(r.current_ma[1], 16100);
  EXPECT_EQ(r.current_ma[2], std::nullopt);
  EXPECT_EQ(r.voltage_mv[0], 231500);
  EXPECT_EQ(r.voltage_mv[2], 229000);
  EXPECT_TRUE(r.problems.empty());
}

TEST(MeterValues16, AValueWithoutMeasurandOrUnitIsTheRegisterInWh) {
  const auto r = read_meter_values_16(at({{{"value", "5000"}}}));
  EXPECT_EQ(r.energy_wh, 5000);
}

TEST(MeterValues16, PhasePowersAddUpToTheTotalOfTheirInstantOnly) {
  json two_instants = json::array();
  for (const char* ts : {"2026-12-06T10:00:00Z", "2026-12-06T10:01:00Z"})
    two_instants.push_back({{"timestamp", ts},
                            {"sampledValue",
                             {sample16("3600", "Power.Active.Import", "W", "L1"),
                              sample16("3700", "Power.Active.Import", "W", "L2"),
                              sample16("3800", "Power.Active.Import", "W", "L3")}}});
  EXPECT_EQ(read_meter_values_16(two_instants).power_w, 11100);
  // A total next to the phases is the total.
  EXPECT_EQ(read_meter_values_16(at({sample16("3600", "Power.Active.Import", "W", "L1"),
                                     sample16("11", "Power.Active.Import", "kW")}))
                .power_w,
            11000);
}

TEST(MeterValues16, ReadingsAtTheCarOrTheInletAreNotTheSessions) {
  json ev = sample16("80000", "Energy.Active.Import.Register", "Wh");
  ev["location"] = "EV";
  EXPECT_EQ(read_meter_values_16(at({ev})).energy_wh, std::nullopt);
}

TEST(MeterValues16, UnreadableValuesAreNamedAndSkipped) {
  const auto r = read_meter_values_16(at({
      sample16("lots", "Energy.Active.Import.Register", "Wh"),
      sample16("12", "Power.Active.Import", "Celsius"),
      sample16("1e300", "Energy.Active.Import.Register", "kWh"),
      sample16("7", "Current.Import", "A"),
  }));
  EXPECT_EQ(r.energy_wh, std::nullopt);
  EXPECT_EQ(r.power_w, std::nullopt);
  EXPECT_EQ(r.current_ma[0], 7000);
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_NE(r.problems[0].find("\"lots\" is not a number"), std::string::npos) << r.problems[0];
  EXPECT_NE(r.problems[1].find("Celsius"), std::string::npos) << r.problems[1];
}

TEST(MeterValues16, SignedDataIsKeptAsSentAndNotRead) {
  json s = sample16("AP;0;3;ALCV3ABBBISHMA2RYEGAZE3HV5YQBQRQAEHAR;", "Energy.Active.Import.Register");
  s["format"] = "SignedData";
  const auto r = read_meter_values_16(at({s}));
  EXPECT_EQ(r.energy_wh, std::nullopt);
  ASSERT_EQ(r.signed_data.size(), 1u);
  EXPECT_EQ(r.signed_data[0], "AP;0;3;ALCV3ABBBISHMA2RYEGAZE3HV5YQBQRQAEHAR;");
}

TEST(MeterValues201, NumbersWithUnitOfMeasureAndMultiplier) {
  const auto r = read_meter_values_201(json::array({{
      {"timestamp", "2026-12-06T10:00:00Z"},
      {"sampledValue",
       {{{"value", 12.345}, {"unitOfMeasure", {{"unit", "kWh"}}}},
        {{"value", 74}, {"measurand", "Power.Active.Import"},
         {"unitOfMeasure", {{"unit", "W"}, {"multiplier", 2}}}},
        {{"value", 1234}, {"measurand", "Energy.Active.Import.Register"},
         {"unitOfMeasure", {{"unit", "Wh"}, {"multiplier", 1}}},
         {"signedMeterValue", {{"signedMeterData", "abc"}, {"signingMethod", "ECDSA"},
                               {"encodingMethod", "OCMF"}, {"publicKey", ""}}}}}},
  }}));
  EXPECT_EQ(r.energy_wh, 12340);  // the later value of the same reading wins
  EXPECT_EQ(r.power_w, 7400);
  ASSERT_EQ(r.signed_data.size(), 1u);
  EXPECT_NE(r.signed_data[0].find("OCMF"), std::string::npos);
}

}  // namespace
}  // namespace pilemesh::ocpp
