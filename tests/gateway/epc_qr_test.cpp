// The EPC QR text of a SEPA top-up (EPC069-12 version 002).
#include "pilemesh/gateway/epc_qr.hpp"

#include <gtest/gtest.h>

namespace pilemesh::gateway {
namespace {

const EpcPayee kPayee{"DE89370400440532013000", "Erika Mustermann", "COBADEFFXXX"};

TEST(EpcQr, CreditTransferLines) {
  std::string error;
  const auto text = epc_qr_text(kPayee, "EUR", 2550, "PILEMESH ALICE", error);
  ASSERT_TRUE(text) << error;
  EXPECT_EQ(
      *text,
      "BCD\n002\n1\nSCT\nCOBADEFFXXX\nErika Mustermann\nDE89370400440532013000\nEUR25.50\n\n\n"
      "PILEMESH ALICE");
  EXPECT_NE(epc_qr_text(kPayee, "EUR", 7, "x", error).value().find("\nEUR0.07\n"),
            std::string::npos);
}

TEST(EpcQr, RefusalsSayWhy) {
  std::string error;
  EXPECT_FALSE(epc_qr_text(kPayee, "CHF", 100, "x", error));
  EXPECT_NE(error.find("euro"), std::string::npos);
  EXPECT_FALSE(epc_qr_text(kPayee, "EUR", 0, "x", error));
  EXPECT_FALSE(epc_qr_text(kPayee, "EUR", 100, "two\nlines", error));
  EXPECT_FALSE(epc_qr_text(EpcPayee{}, "EUR", 100, "x", error));
  EXPECT_NE(error.find("[payments]"), std::string::npos);
}

}  // namespace
}  // namespace pilemesh::gateway
