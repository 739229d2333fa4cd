// A plugin whose ABI matches but whose description is broken (a factory without functions):
// the loader must check the entry before trusting it.
#include "pilemesh/hal/plugin.hpp"

namespace {
using namespace pilemesh::hal;
const DriverFactory kFactories[] = {
    {"broken", DriverKind::kCharger, "no functions", nullptr, 0, nullptr, nullptr, nullptr, nullptr,
     0, nullptr, nullptr},
};
}  // namespace

PILEMESH_PLUGIN("broken", "pilemesh tests", "0.0.1", "A plugin with an invalid factory", kFactories)
