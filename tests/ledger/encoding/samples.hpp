// Valid ledger objects with every field set to something distinct, for encoding tests.
#pragma once

#include <variant>

#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger::test {

inline Hash filled_hash(std::uint8_t byte) {
  Hash h;
  h.bytes.fill(byte);
  return h;
}

inline PublicKey filled_key(std::uint8_t byte) {
  PublicKey k;
  k.bytes.fill(byte);
  return k;
}

inline Signature filled_signature(std::uint8_t byte) {
  Signature s;
  s.bytes.fill(byte);
  return s;
}

inline Transaction sample_tx() {
  Transaction tx;
  tx.chain_id = "pm-test";
  tx.type = TxType::kChargingRecord;
  tx.signer = filled_key(0x11);
  tx.nonce = 0x0102030405060708;
  tx.payload = {0xca, 0xfe};
  tx.signature = filled_signature(0x22);
  return tx;
}

inline BlockHeader sample_header() {
  BlockHeader h;
  h.chain_id = "pm-test";
  h.height = 42;
  h.time_ms = 1'700'000'000'123;
  h.prev_block = filled_hash(0x31);
  h.branches = {{Branch::kIdentity, 3, filled_hash(0x32)}, {Branch::kMarket, 9, filled_hash(0x33)}};
  h.tx_root = filled_hash(0x34);
  h.state_root = filled_hash(0x35);
  h.proposer = filled_key(0x36);
  h.validators_hash = filled_hash(0x37);
  h.last_commit_hash = filled_hash(0x38);
  return h;
}

inline Vote sample_vote() {
  Vote v;
  v.chain_id = "pm-test";
  v.height = 42;
  v.round = 2;
  v.block_hash = filled_hash(0x41);
  v.validator = filled_key(0x42);
  v.signature = filled_signature(0x43);
  return v;
}

inline Commit sample_commit() {
  Commit c;
  c.height = 41;
  c.round = 1;
  c.block_hash = filled_hash(0x51);
  c.signatures = {{filled_key(0x52), filled_signature(0x53)},
                  {filled_key(0x54), filled_signature(0x55)}};
  return c;
}

inline Block sample_block() {
  Block b;
  b.header = sample_header();
  b.txs = {sample_tx(), sample_tx()};
  b.txs[1].nonce = 2;
  b.txs[1].type = TxType::kTransfer;
  b.txs[1].payload.clear();
  b.last_commit = sample_commit();
  return b;
}

template <class T>
std::string error_of(const Decoded<T>& decoded) {
  const auto* error = std::get_if<DecodeError>(&decoded);
  return error ? error->reason : "<decoded without error>";
}

}  // namespace pilemesh::ledger::test
