#include "sodium.hpp"

#include <sodium.h>

#include <stdexcept>

namespace pilemesh::ledger::detail {

void ensure_sodium() {
  // A function-local static: initialised once, and later calls cost one guard check.
  static const bool ready = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    return true;
  }();
  (void)ready;
}

}  // namespace pilemesh::ledger::detail
