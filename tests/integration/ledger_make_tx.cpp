// Test helper: prints the hex encoding of a signed transaction, so that the integration tests
// (Python's standard library has no Ed25519) can post real transactions to the daemon.
//   ledger_make_tx <key file> <chain id> <nonce> register_pile <pile id>
//   ledger_make_tx <key file> <chain id> <nonce> transfer <to hex> <amount>
#include <iostream>
#include <string>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/keys.hpp"
#include "pilemesh/ledger/payloads.hpp"
#include "pilemesh/ledger/service_codec.hpp"

int main(int argc, char** argv) {
  using namespace pilemesh::ledger;
  if (argc < 6) {
    std::cerr
        << "usage: ledger_make_tx KEYFILE CHAIN NONCE register_pile ID | transfer TO AMOUNT\n";
    return 2;
  }
  const KeyPair key = KeyPair::load_or_create(argv[1]);
  Transaction tx;
  tx.chain_id = argv[2];
  tx.signer = key.public_key();
  tx.nonce = std::stoull(argv[3]);
  const std::string kind = argv[4];
  if (kind == "register_pile") {
    tx.type = TxType::kRegisterPile;
    tx.payload = encode_service(PileSpecPayload{argv[5], always_available_spec("u33dc1", 11000)});
  } else if (kind == "transfer" && argc >= 7) {
    tx.type = TxType::kTransfer;
    tx.payload =
        encode(TransferPayload{PublicKey::from_hex(argv[5]).value(), std::stoull(argv[6])});
  } else {
    std::cerr << "unknown kind " << kind << "\n";
    return 2;
  }
  tx.signature = key.sign(signing_bytes(tx));
  std::cout << to_hex(encode(tx)) << "\n";
  return 0;
}
