// A top-up method for the tests: pay cash at a shop, quoting a code. The shop comes from the
// settings; amounts over the shop's limit are refused with a message for the member.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "pilemesh/hal/plugin.hpp"

namespace {
using namespace pilemesh::hal;

class ShopVoucher final {
 public:
  explicit ShopVoucher(DriverContext& context)
      : shop_(context.settings().get_string("shop")),
        limit_(static_cast<std::uint64_t>(context.settings().get_int("limit"))) {}

  Status instructions(const TopUpRequest& request, PaymentInstructions& out) {
    if (request.reference == "throw") throw std::runtime_error("the shop's till is broken");
    if (request.amount > limit_)
      return Status::invalid_argument("the shop takes at most " + std::to_string(limit_ / 100) +
                                      " " + request.currency + " at a time");
    char amount[32];
    std::snprintf(amount, sizeof amount, "%llu.%02llu",
                  static_cast<unsigned long long>(request.amount / 100),
                  static_cast<unsigned long long>(request.amount % 100));
    const std::string code = "V-" + request.id.substr(0, 8);
    out.summary = "Pay " + std::string(amount) + " " + request.currency + " in cash at " + shop_ +
                  " and quote " + code + ".";
    out.qr_text = code;
    return Status::ok();
  }

 private:
  std::string shop_;
  std::uint64_t limit_;
};

constexpr SettingSpec kSettings[] = {
    SettingSpec::string("shop", "the corner shop", "Where members pay"),
    SettingSpec::integer("limit", 10000, 1, 1000000, "The most one top-up may be, minor units"),
};
const DriverFactory kFactories[] = {
    top_up_factory<ShopVoucher>("shop", "Cash at a shop, quoting a code", kSettings, 42),
};
}  // namespace

PILEMESH_PLUGIN("voucher", "pilemesh tests", "0.0.1", "A top-up method paid at a shop", kFactories)
