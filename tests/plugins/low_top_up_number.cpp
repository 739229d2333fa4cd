// A top-up method that claims a number reserved for the gateway's own methods: refused.
#include "pilemesh/hal/plugin.hpp"

namespace {
using namespace pilemesh::hal;

class Nothing final {
 public:
  explicit Nothing(DriverContext&) {}
  Status instructions(const TopUpRequest&, PaymentInstructions& out) {
    out.summary = "nothing";
    return Status::ok();
  }
};

constexpr SettingSpec kSettings[] = {
    SettingSpec::boolean("unused", false, "Present so the table is not empty"),
};
const DriverFactory kFactories[] = {
    top_up_factory<Nothing>("sepa", "Pretends to be the built-in SEPA transfer", kSettings, 2),
};
}  // namespace

PILEMESH_PLUGIN("low-top-up-number", "pilemesh tests", "0.0.1", "A top-up with a reserved number",
                kFactories)
