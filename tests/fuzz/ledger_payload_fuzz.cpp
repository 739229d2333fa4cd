// Fuzzes the payload decoders of the ledger's transaction types (bytes from any signed
// transaction): never a crash, and whatever decodes re-encodes to exactly the same bytes.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "pilemesh/ledger/payloads.hpp"

namespace {
template <class Decode>
void round_trip(std::span<const std::uint8_t> bytes, Decode decode) {
  std::string error;
  if (auto value = decode(bytes, error)) {
    const auto again = pilemesh::ledger::encode(*value);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
  } else if (error.empty()) {
    std::abort();  // a refusal must say why
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pilemesh::ledger;
  const std::span<const std::uint8_t> bytes(data, size);
  round_trip(bytes, decode_transfer);
  round_trip(bytes, decode_register_pile);
  round_trip(bytes, decode_charging);
  round_trip(bytes, decode_evaluation);
  round_trip(bytes, decode_account);
  round_trip(bytes, decode_pile);
  round_trip(bytes, decode_charge);
  return 0;
}
