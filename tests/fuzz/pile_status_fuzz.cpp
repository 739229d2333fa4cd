// Fuzzes the decoder of pile status announcements, which peers send: never a crash; whatever
// decodes re-encodes to exactly the same bytes; a refusal says which field.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pilemesh/gateway/pile_status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  const auto a = pilemesh::gateway::decode_pile_status({data, size}, error);
  if (!a) {
    if (error.empty()) std::abort();
    return 0;
  }
  const auto bytes = pilemesh::gateway::encode(*a);
  if (bytes.size() != size || !std::equal(bytes.begin(), bytes.end(), data)) std::abort();
  (void)pilemesh::gateway::verify_pile_status(*a, "fuzz");
  return 0;
}
