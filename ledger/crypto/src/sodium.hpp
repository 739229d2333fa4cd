// libsodium must be initialised once before use; every entry point of this library calls this.
#pragma once

namespace pilemesh::ledger::detail {

// Initialises libsodium on the first call (thread-safe); throws std::runtime_error if it cannot.
void ensure_sodium();

}  // namespace pilemesh::ledger::detail
