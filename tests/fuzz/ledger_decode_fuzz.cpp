// Fuzzes the ledger decoders: any bytes must decode or give a reason, never crash, hang or
// throw; and whatever decodes must re-encode to exactly the input, since hashes and signatures
// are computed over encodings (one value, one encoding).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>

#include "pilemesh/ledger/encoding.hpp"

namespace {

using namespace pilemesh::ledger;

template <class T>
void check(std::span<const std::uint8_t> input, const Decoded<T>& decoded) {
  if (const auto* error = std::get_if<DecodeError>(&decoded)) {
    if (error->reason.empty()) std::abort();
    return;
  }
  const Bytes again = encode(std::get<T>(decoded));
  if (again.size() != input.size() || !std::equal(again.begin(), again.end(), input.begin())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  check(input, decode_transaction(input));
  check(input, decode_block_header(input));
  check(input, decode_vote(input));
  check(input, decode_commit(input));
  const auto block = decode_block(input);
  check(input, block);
  if (const auto* b = std::get_if<Block>(&block)) {
    // Exercise the derived bytes too: they must not depend on anything but the value.
    (void)hash_of(b->header);
    (void)hash_of(b->last_commit);
    for (const auto& tx : b->txs) {
      if (signing_bytes(tx).empty()) std::abort();
      if (encoded_size(tx) != encode(tx).size()) std::abort();
    }
  }
  return 0;
}
