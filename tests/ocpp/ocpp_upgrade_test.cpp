#include "pilemesh/transports/ocpp_upgrade.hpp"

#include <gtest/gtest.h>

namespace pilemesh::transports {
namespace {

TEST(OcppUpgrade, TheIdentityIsThePathAfterOcpp) {
  EXPECT_EQ(identity_from_target("/ocpp/CP001"), "CP001");
  EXPECT_EQ(identity_from_target("/ocpp/wallbox.garage-2_a?token=1"), "wallbox.garage-2_a");
  EXPECT_EQ(identity_from_target("/ocpp/"), std::nullopt);
  EXPECT_EQ(identity_from_target("/ocpp/CP001/extra"), std::nullopt);
  EXPECT_EQ(identity_from_target("/ocpp/CP%20001"), std::nullopt);
  EXPECT_EQ(identity_from_target("/other/CP001"), std::nullopt);
  EXPECT_EQ(identity_from_target("/ocpp/" + std::string(49, 'a')), std::nullopt);
  EXPECT_TRUE(identity_from_target("/ocpp/" + std::string(48, 'a')));
}

TEST(OcppUpgrade, TheClientsFirstSupportedSubprotocolWins) {
  EXPECT_EQ(select_subprotocol("ocpp1.6"), hal::OcppVersion::k16);
  EXPECT_EQ(select_subprotocol("ocpp2.0.1, ocpp1.6"), hal::OcppVersion::k201);
  EXPECT_EQ(select_subprotocol("ocpp1.5,ocpp1.6"), hal::OcppVersion::k16);
  EXPECT_EQ(select_subprotocol(" ocpp2.1 "), hal::OcppVersion::k21);
  EXPECT_EQ(select_subprotocol("ocpp1.5"), std::nullopt);
  EXPECT_EQ(select_subprotocol(""), std::nullopt);
  EXPECT_EQ(select_subprotocol("OCPP1.6"), std::nullopt);  // the names are case-sensitive
}

TEST(OcppUpgrade, BasicCredentialsAreDecoded) {
  // base64("CP001:demo-password")
  auto c = parse_basic_auth("Basic Q1AwMDE6ZGVtby1wYXNzd29yZA==");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "CP001");
  EXPECT_EQ(c->password, "demo-password");
  // The password may hold colons; the scheme's name is case-insensitive.
  c = parse_basic_auth("basic Q1A6YTpi");  // "CP:a:b"
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "CP");
  EXPECT_EQ(c->password, "a:b");
}

TEST(OcppUpgrade, MalformedCredentialsAreNone) {
  for (const char* header : {"", "Basic", "Basic ", "Bearer Q1AwMDE6eA==", "Basic Q1AwMDE6eA=",
                             "Basic !!!!", "Basic Q1AwMDE=" /* no colon */,
                             "Basic Q1AAMDE6eA==" /* a NUL byte */})
    EXPECT_EQ(parse_basic_auth(header), std::nullopt) << header;
  EXPECT_EQ(parse_basic_auth("Basic " + std::string(260, 'A')), std::nullopt);
}

TEST(OcppUpgrade, SecretsCompareByValue) {
  EXPECT_TRUE(same_secret("demo-password", "demo-password"));
  EXPECT_FALSE(same_secret("demo-password", "demo-passwore"));
  EXPECT_FALSE(same_secret("demo-password", "demo-password2"));
  EXPECT_TRUE(same_secret("", ""));
}

}  // namespace
}  // namespace pilemesh::transports
