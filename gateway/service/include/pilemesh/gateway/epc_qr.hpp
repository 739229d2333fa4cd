// The text of an EPC QR code (EPC069-12, version 002): what a banking app scans to fill in a
// SEPA credit transfer — the owner's account, the amount of a member's top-up and its
// reference. The gateway hands the text to the page, which draws the code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pilemesh::gateway {

struct EpcPayee {
  std::string iban;  // validated and normalized by the configuration
  std::string beneficiary;
  std::string bic;  // may be empty inside the EEA
};

// The payload, lines joined by '\n'; nothing, with `error` saying why, when the currency is
// not EUR, the amount is outside 0.01..999 999 999.99, or a field is too long or holds a line
// break.
std::optional<std::string> epc_qr_text(const EpcPayee& payee, std::string_view currency,
                                       std::uint64_t amount_cents, std::string_view reference,
                                       std::string& error);

}  // namespace pilemesh::gateway
