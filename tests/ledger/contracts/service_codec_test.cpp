// The canonical encoding and the JSON form of the service's payloads and records.
#include "pilemesh/ledger/service_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pilemesh::ledger {
namespace {

PileSpecPayload sample_pile() {
  PileSpecPayload p{"drive", always_available_spec("u33dc1", 11'000, ConnectorType::kCcs2)};
  p.spec.amenities = kAmenityCovered | kAmenityLit;
  p.spec.closures = {{100, 200}};
  p.spec.sealed_address = {1, 2, 3};
  return p;
}

TEST(ServiceCodec, RoundTripsAndIsCanonical) {
  const PileSpecPayload p = sample_pile();
  const Bytes bytes = encode_service(p);
  std::string error;
  const auto back = decode_service<PileSpecPayload>(bytes, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->pile_id, "drive");
  EXPECT_EQ(back->spec, p.spec);
  EXPECT_EQ(encode_service(*back), bytes);
}

TEST(ServiceCodec, RefusalsNameTheField) {
  Bytes bytes = encode_service(sample_pile());
  std::string error;
  EXPECT_FALSE(decode_service<PileSpecPayload>(std::span(bytes).first(bytes.size() - 3), error));
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(decode_service<PileSpecPayload>(longer, error));
  // An unknown connector type.
  BookingIdPayload id;
  Bytes version = encode_service(id);
  version[0] = 9;
  EXPECT_FALSE(decode_service<BookingIdPayload>(version, error));
  EXPECT_NE(error.find("version"), std::string::npos);
  RegisterMemberPayload m{Role::kEvUser, Hash{}};
  Bytes role = encode_service(m);
  role[1] = 7;
  EXPECT_FALSE(decode_service<RegisterMemberPayload>(role, error));
  EXPECT_NE(error.find("role: unknown value 7"), std::string::npos) << error;
}

TEST(ServiceCodec, JsonRoundTripAndStrictReading) {
  const PileSpecPayload p = sample_pile();
  const nlohmann::json j = service_to_json(p);
  EXPECT_EQ(j["pile_id"], "drive");
  EXPECT_EQ(j["connectors"][0]["type"], 2);
  EXPECT_EQ(j["sealed_address"], "010203");
  std::string error;
  auto back = service_from_json<PileSpecPayload>(j, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->spec, p.spec);

  nlohmann::json typo = j;
  typo["phasse"] = 1;
  EXPECT_FALSE(service_from_json<PileSpecPayload>(typo, error));
  EXPECT_EQ(error, "phasse: unknown field");
  nlohmann::json bad = j;
  bad["connectors"][0]["max_power_w"] = -5;
  EXPECT_FALSE(service_from_json<PileSpecPayload>(bad, error));
  EXPECT_EQ(error.rfind("connectors[0].max_power_w", 0), 0u) << error;
  // Missing fields take their defaults; lists of keys are plain hex strings.
  const KeyPair k = KeyPair::from_seed(std::array<std::uint8_t, 32>{7});
  auto recovery = service_from_json<SetRecoveryPayload>(
      nlohmann::json{{"guardians", {k.public_key().hex()}}, {"threshold", 1}}, error);
  ASSERT_TRUE(recovery) << error;
  EXPECT_EQ(recovery->guardians, std::vector<PublicKey>{k.public_key()});
  EXPECT_EQ(service_to_json(*recovery)["guardians"][0], k.public_key().hex());
}

}  // namespace
}  // namespace pilemesh::ledger
