#include "pilemesh/gateway/top_up_methods.hpp"

#include <cstdio>

namespace pilemesh::gateway {

std::string format_amount(std::uint64_t minor_units) {
  char text[32];
  std::snprintf(text, sizeof text, "%llu.%02llu",
                static_cast<unsigned long long>(minor_units / 100),
                static_cast<unsigned long long>(minor_units % 100));
  return text;
}

TopUpMethods::TopUpMethods(EpcPayee payee) : payee_(std::move(payee)) {
  methods_[kManualTopUp] = {
      {kManualTopUp, "manual", "Pay the owner in person; they confirm it and credit the wallet"},
      nullptr};
  if (!payee_.iban.empty()) {
    methods_[kSepaTransferTopUp] = {
        {kSepaTransferTopUp, "sepa_transfer",
         "A SEPA credit transfer to the owner's account, by scanning a QR code in a banking app"},
        nullptr};
  }
}

std::string TopUpMethods::add(std::uint8_t number, std::string name, std::string description,
                              hal::TopUpMethod& method) {
  if (number < hal::kFirstPluginTopUpMethod)
    return "method number " + std::to_string(number) + " is reserved for the built-in methods";
  auto [it, added] = methods_.try_emplace(
      number, Entry{{number, std::move(name), std::move(description)}, &method});
  if (!added) {
    return "method number " + std::to_string(number) + " is taken by " + it->second.info.name;
  }
  return "";
}

std::vector<TopUpMethodInfo> TopUpMethods::list() const {
  std::vector<TopUpMethodInfo> out;
  for (const auto& [number, entry] : methods_) out.push_back(entry.info);
  return out;
}

hal::Status TopUpMethods::instructions(std::uint8_t number, const hal::TopUpRequest& request,
                                       hal::PaymentInstructions& out) const {
  auto it = methods_.find(number);
  if (it == methods_.end()) {
    return hal::Status::not_supported("this gateway does not offer top-up method " +
                                      std::to_string(number));
  }
  out = {};
  hal::Status status = it->second.plugin != nullptr ? it->second.plugin->instructions(request, out)
                                                    : built_in(number, request, out);
  // A plugin's answer is foreign data too: instructions without a summary show nothing.
  if (status.is_ok() && out.summary.empty())
    return hal::Status::internal(it->second.info.name + " gave no instructions");
  return status;
}

hal::Status TopUpMethods::built_in(std::uint8_t number, const hal::TopUpRequest& request,
                                   hal::PaymentInstructions& out) const {
  const std::string amount = format_amount(request.amount) + " " + request.currency;
  if (number == kManualTopUp) {
    out.summary = "Pay " + amount +
                  " to the pile's owner in person (cash, or as you agree). Once they confirm it, "
                  "the money is in your wallet.";
    return hal::Status::ok();
  }
  std::string reason;
  const std::string reference =
      request.reference.empty() ? "pilemesh " + request.id.substr(0, 16) : request.reference;
  auto text = epc_qr_text(payee_, request.currency, request.amount, reference, reason);
  if (!text) return hal::Status::invalid_argument(reason);
  out.summary = "Transfer " + amount + " to " + payee_.beneficiary + ", IBAN " + payee_.iban +
                ", reference \"" + reference +
                "\": scan the code with your banking app. Once the owner sees the money arrive, "
                "it is in your wallet.";
  out.qr_text = std::move(*text);
  return hal::Status::ok();
}

}  // namespace pilemesh::gateway
