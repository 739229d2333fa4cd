// A member's key for the integration tests, as a phone or browser would hold it:
//   ledger_sign KEYFILE pub        prints the public key (creating the key file if needed)
//   ledger_sign KEYFILE <hex>      prints the Ed25519 signature of the bytes
//   ledger_sign KEYFILE open <hex> prints what was sealed to the key (exit 1 if it cannot)
#include <iostream>
#include <string>
#include <vector>

#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

int main(int argc, char** argv) {
  using namespace pilemesh::ledger;
  if (argc != 3 && !(argc == 4 && std::string(argv[2]) == "open")) {
    std::cerr << "usage: ledger_sign KEYFILE pub | HEX | open HEX\n";
    return 2;
  }
  const KeyPair key = KeyPair::load_or_create(argv[1]);
  const std::string what = argv[argc - 1];
  if (argc == 4) {
    std::vector<std::uint8_t> sealed(what.size() / 2);
    if (what.size() % 2 != 0 || !from_hex(what, sealed)) return 2;
    auto opened = key.unseal(sealed);
    if (!opened) return 1;
    std::cout << std::string(opened->begin(), opened->end()) << "\n";
    return 0;
  }
  if (what == "pub") {
    std::cout << key.public_key().hex() << "\n";
    return 0;
  }
  std::vector<std::uint8_t> bytes(what.size() / 2);
  if (what.size() % 2 != 0 || !from_hex(what, bytes)) {
    std::cerr << "not hex\n";
    return 2;
  }
  std::cout << to_hex(key.sign(bytes).bytes) << "\n";
  return 0;
}
