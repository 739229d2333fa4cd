#include "id_tag.hpp"

#include <gtest/gtest.h>

namespace pilemesh::ocpp {
namespace {

TEST(IdTag, IsTheDomainSeparatedHashOfTheTokenCutToTheVersionsLimit) {
  // SHA-256("pilemesh/ocpp-id-tag/v1" || "qr-token"), upper-case hex.
  EXPECT_EQ(derive_id_tag("qr-token", 20), "BA9328C2FC96679CE154");
  EXPECT_EQ(derive_id_tag("qr-token", 36).substr(0, 20), "BA9328C2FC96679CE154");
  EXPECT_EQ(derive_id_tag("qr-token", 36).size(), 36u);
  EXPECT_NE(derive_id_tag("qr-tokem", 20), derive_id_tag("qr-token", 20));
}

TEST(IdTag, NeverSendsTheTokenItselfEvenWhenItWouldFit) {
  EXPECT_NE(derive_id_tag("04A2B3C4D5", 20), "04A2B3C4D5");
}

}  // namespace
}  // namespace pilemesh::ocpp
