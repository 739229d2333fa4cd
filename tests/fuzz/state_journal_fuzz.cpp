// Fuzzes the decoder of the state journal's rows: they are read back from the ledger file,
// which a failing disk can change. Any bytes must decode or be refused with a reason, never
// crash or hang; and a row that decodes must re-encode to exactly the input (one set of
// changes, one row).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <stdexcept>
#include <string_view>

#include "pilemesh/ledger/state_journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pilemesh::ledger::state_journal;
  const std::span<const std::uint8_t> input(data, size);
  Changes changes;
  try {
    decode_into(input, changes);
  } catch (const std::runtime_error& e) {
    if (std::string_view(e.what()).empty()) std::abort();
    return 0;
  }
  const Bytes again = encode(changes);
  if (again.size() != input.size() || !std::equal(again.begin(), again.end(), input.begin())) {
    std::abort();
  }
  return 0;
}
