#include "pilemesh/gateway/epc_qr.hpp"

#include <cstdio>

namespace pilemesh::gateway {
namespace {

bool one_line(std::string_view s) {
  return s.find('\n') == std::string_view::npos && s.find('\r') == std::string_view::npos;
}

}  // namespace

std::optional<std::string> epc_qr_text(const EpcPayee& payee, std::string_view currency,
                                       std::uint64_t amount_cents, std::string_view reference,
                                       std::string& error) {
  if (currency != "EUR") {
    error = "EPC QR codes carry euro amounts only; this neighbourhood counts in " +
            std::string(currency);
    return std::nullopt;
  }
  if (payee.iban.empty() || payee.beneficiary.empty()) {
    error = "the owner has not set [payments] iban and beneficiary";
    return std::nullopt;
  }
  if (amount_cents < 1 || amount_cents > 99'999'999'999ULL) {
    error = "the amount must be from 0.01 to 999999999.99";
    return std::nullopt;
  }
  if (payee.beneficiary.size() > 70 || reference.size() > 140 || !one_line(payee.beneficiary) ||
      !one_line(reference) || !one_line(payee.bic)) {
    error = "a field is too long or holds a line break";
    return std::nullopt;
  }
  char amount[32];
  std::snprintf(amount, sizeof amount, "EUR%llu.%02llu",
                static_cast<unsigned long long>(amount_cents / 100),
                static_cast<unsigned long long>(amount_cents % 100));
  // Service tag, version, UTF-8, SEPA credit transfer, BIC, name, IBAN, amount, purpose,
  // structured reference (empty), unstructured remittance.
  std::string text = "BCD\n002\n1\nSCT\n" + payee.bic + "\n" + payee.beneficiary + "\n" +
                     payee.iban + "\n" + amount + "\n\n\n" + std::string(reference);
  if (text.size() > 331) {
    error = "the code would be longer than the 331 bytes EPC allows";
    return std::nullopt;
  }
  return text;
}

}  // namespace pilemesh::gateway
