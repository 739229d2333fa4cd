// pilemesh plugin SDK — TopUpMethod: a way for a member to pay money into their wallet.
//
// Topping up is two ledger transactions: the member's request_top_up (an amount, a payee and a
// method number) and, once the money has arrived, the payee's confirm_top_up, which credits the
// wallet. A top-up method is what happens in between: it tells the member how to pay this
// payee — a bank transfer's QR code, a payment link, a code for the shop downstairs. It never
// moves ledger money itself, and the ledger never depends on it: the payee confirms by hand or
// from their bank statement.
//
// The gateway has two methods built in: 1 "manual" (cash or anything agreed in person) and
// 2 "sepa_transfer" (an EPC QR code for a SEPA credit transfer to the owner's account). A plugin
// adds others: a class with a constructor `Method(DriverContext&)` and a member
//   Status instructions(const TopUpRequest& request, PaymentInstructions& out);
// offered with top_up_factory<Method>() (plugin.hpp) under a method number from 16 to 255,
// which is what members put in request_top_up's `method`. The factory wraps the class in a
// TopUpMethod that turns anything it throws into Status::internal, inside the plugin. Pick the
// number once and keep it: requests already on the ledger carry it. The owner enables a method in
// the configuration:
//
//   [[top_ups]]
//   id = "kiosk"
//   driver = "acme-pay/kiosk"
//   settings = { shop = "Corner shop, Lindenstrasse 2" }
//
// Threading: instructions() is called on the gateway's event loop; answer at once (no network
// round trips — put a link in `url` instead).
#pragma once

#include <cstdint>
#include <exception>
#include <string>

#include "pilemesh/hal/status.hpp"

namespace pilemesh::hal {

// Method numbers below this are the gateway's own.
inline constexpr std::uint8_t kFirstPluginTopUpMethod = 16;

// A member's request to top up, as the ledger holds it.
struct TopUpRequest {
  std::string id;            // the request transaction's hash, 64 hex digits
  std::string member;        // the member's key, 64 hex digits
  std::uint64_t amount = 0;  // in minor units of `currency` (cents for EUR)
  std::string currency;      // ISO 4217, e.g. "EUR"
  std::string reference;     // the member's reference text; may be empty
};

// What the member is shown. At least `summary` is set.
struct PaymentInstructions {
  std::string summary;  // one or two sentences: whom to pay, how much, what to quote
  std::string qr_text;  // text the page draws as a QR code to scan with a banking app; or ""
  std::string url;      // a page to pay on; or ""
};

// What the gateway holds: made by top_up_factory() around the plugin's class.
class TopUpMethod {
 public:
  virtual ~TopUpMethod() = default;
  TopUpMethod() = default;
  TopUpMethod(const TopUpMethod&) = delete;
  TopUpMethod& operator=(const TopUpMethod&) = delete;

  // How to pay `request`. kInvalidArgument when this method cannot carry it (an amount over a
  // limit, a currency it does not take), with a message for the member.
  virtual Status instructions(const TopUpRequest& request, PaymentInstructions& out) noexcept = 0;
};

namespace detail {
// The plugin's class behind the TopUpMethod interface; compiled into the plugin, so that no
// exception leaves it.
template <class Method>
class GuardedTopUp final : public TopUpMethod {
 public:
  template <class Context>
  explicit GuardedTopUp(Context& context) : method_(context) {}
  Status instructions(const TopUpRequest& request, PaymentInstructions& out) noexcept override {
    try {
      return method_.instructions(request, out);
    } catch (const std::exception& e) {
      return Status::internal(std::string("the top-up method failed: ") + e.what());
    } catch (...) {
      return Status::internal("the top-up method failed");
    }
  }

 private:
  Method method_;
};
}  // namespace detail

}  // namespace pilemesh::hal
