#include "schema_validator.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pilemesh::ocpp {
namespace {

using nlohmann::json;

json boot() { return {{"chargePointVendor", "Vendor"}, {"chargePointModel", "Model"}}; }

json profile(double limit) {
  return {{"connectorId", 1},
          {"csChargingProfiles",
           {{"chargingProfileId", 1},
            {"stackLevel", 0},
            {"chargingProfilePurpose", "TxDefaultProfile"},
            {"chargingProfileKind", "Absolute"},
            {"chargingSchedule",
             {{"chargingRateUnit", "A"},
              {"chargingSchedulePeriod", json::array({{{"startPeriod", 0}, {"limit", limit}}})}}}}}};
}

class Schemas16 : public ::testing::Test {
 protected:
  SchemaValidator schemas{"1.6"};
  std::optional<ValidationFailure> request(std::string_view action, const json& payload) {
    return schemas.check(action, SchemaKind::kRequest, payload);
  }
};

TEST_F(Schemas16, AValidPayloadPasses) {
  EXPECT_EQ(request("BootNotification", boot()), std::nullopt);
  EXPECT_EQ(schemas.check("BootNotification", SchemaKind::kResponse,
                          {{"status", "Accepted"}, {"currentTime", "2026-12-06T10:00:00Z"},
                           {"interval", 300}}),
            std::nullopt);
}

TEST_F(Schemas16, KnowsTheActionsOfItsVersionOnly) {
  EXPECT_TRUE(schemas.knows("StartTransaction", SchemaKind::kRequest));
  EXPECT_TRUE(schemas.knows("SignCertificate", SchemaKind::kRequest));  // security whitepaper
  EXPECT_FALSE(schemas.knows("TransactionEvent", SchemaKind::kRequest));  // 2.0.1 only
  EXPECT_FALSE(schemas.knows("Teleport", SchemaKind::kRequest));
  EXPECT_TRUE(SchemaValidator("2.0.1").knows("TransactionEvent", SchemaKind::kRequest));
}

TEST_F(Schemas16, EachFailureHasTheCodeTheSpecificationNames) {
  json missing = boot();
  missing.erase("chargePointModel");
  auto f = request("BootNotification", missing);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->error, PayloadError::kOccurrenceConstraint);
  EXPECT_NE(f->message.find("chargePointModel"), std::string::npos) << f->message;

  json wrong_type = {{"connectorId", "1"}, {"errorCode", "NoError"}, {"status", "Available"}};
  f = request("StatusNotification", wrong_type);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->error, PayloadError::kTypeConstraint);
  EXPECT_NE(f->message.find("connectorId"), std::string::npos) << f->message;

  json bad_enum = {{"connectorId", 1}, {"errorCode", "NoError"}, {"status", "Sleeping"}};
  f = request("StatusNotification", bad_enum);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->error, PayloadError::kPropertyConstraint);

  f = request("Authorize", {{"idTag", std::string(21, 'A')}});  // CiString20
  ASSERT_TRUE(f);
  EXPECT_EQ(f->error, PayloadError::kPropertyConstraint);
  EXPECT_NE(f->message.find("idTag"), std::string::npos) << f->message;

  json extra = boot();
  extra["colour"] = "red";  // additionalProperties: false
  f = request("BootNotification", extra);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->error, PayloadError::kFormation);
}

TEST_F(Schemas16, MultiplesOfATenthAreExactDespiteBinaryFloatingPoint) {
  // 16.0, 7.3 and 32.1 are multiples of 0.1 although 0.1 has no exact binary form.
  for (double limit : {16.0, 7.3, 32.1, 0.0})
    EXPECT_EQ(request("SetChargingProfile", profile(limit)), std::nullopt) << limit;
  auto f = request("SetChargingProfile", profile(16.05));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->error, PayloadError::kPropertyConstraint);
  EXPECT_NE(f->message.find("limit"), std::string::npos) << f->message;
}

TEST(PayloadErrorCodes, AreSpelledAsEachVersionSpellsThem) {
  EXPECT_EQ(ocpp_error_code(PayloadError::kFormation, true), "FormationViolation");
  EXPECT_EQ(ocpp_error_code(PayloadError::kFormation, false), "FormatViolation");
  EXPECT_EQ(ocpp_error_code(PayloadError::kOccurrenceConstraint, true),
            "OccurenceConstraintViolation");
  EXPECT_EQ(ocpp_error_code(PayloadError::kOccurrenceConstraint, false),
            "OccurrenceConstraintViolation");
  EXPECT_EQ(ocpp_error_code(PayloadError::kTypeConstraint, true), "TypeConstraintViolation");
  EXPECT_EQ(ocpp_error_code(PayloadError::kPropertyConstraint, false),
            "PropertyConstraintViolation");
}

}  // namespace
}  // namespace pilemesh::ocpp
