// The ways a member can pay into their wallet at this gateway (hal/top_up.hpp): "manual" (1)
// and "sepa_transfer" (2) built in, and the plugins' methods the configuration enables
// ([[top_ups]]). Each turns a member's request_top_up into instructions for paying this
// gateway's owner; the ledger only ever sees the request and the owner's confirmation.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pilemesh/gateway/epc_qr.hpp"
#include "pilemesh/hal/top_up.hpp"

namespace pilemesh::gateway {

inline constexpr std::uint8_t kManualTopUp = 1;
inline constexpr std::uint8_t kSepaTransferTopUp = 2;

struct TopUpMethodInfo {
  std::uint8_t number = 0;  // request_top_up's `method`
  std::string name;         // "manual", "sepa_transfer", or the plugin's "<plugin>/<factory>"
  std::string description;
};

class TopUpMethods {
 public:
  // The built-in methods; SEPA transfer only when `payee` has an IBAN.
  explicit TopUpMethods(EpcPayee payee = {});

  // Adds a plugin's method under its number; "" or why not (the number is taken). `method`
  // must outlive this registry.
  std::string add(std::uint8_t number, std::string name, std::string description,
                  hal::TopUpMethod& method);

  std::vector<TopUpMethodInfo> list() const;
  bool offers(std::uint8_t number) const { return methods_.count(number) != 0; }
  const EpcPayee& payee() const { return payee_; }

  // How to pay `request` by method `number`: kNotSupported when this gateway does not offer
  // it; the method's own refusal otherwise.
  hal::Status instructions(std::uint8_t number, const hal::TopUpRequest& request,
                           hal::PaymentInstructions& out) const;

 private:
  struct Entry {
    TopUpMethodInfo info;
    hal::TopUpMethod* plugin = nullptr;  // null for the built-in ones
  };
  hal::Status built_in(std::uint8_t number, const hal::TopUpRequest& request,
                       hal::PaymentInstructions& out) const;

  EpcPayee payee_;
  std::map<std::uint8_t, Entry> methods_;
};

// "12.50": minor units as a decimal amount with two places.
std::string format_amount(std::uint64_t minor_units);

}  // namespace pilemesh::gateway
