// Round trips, the golden encoding, signing bytes and hashes.
#include "pilemesh/ledger/encoding.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include "samples.hpp"

namespace pilemesh::ledger {
namespace {

using namespace test;

Bytes from_hex_string(const std::string& hex) {
  Bytes out(hex.size() / 2);
  EXPECT_TRUE(from_hex(hex, out));
  return out;
}

void expect_same(const Transaction& a, const Transaction& b) {
  EXPECT_EQ(a.chain_id, b.chain_id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.signer, b.signer);
  EXPECT_EQ(a.nonce, b.nonce);
  EXPECT_EQ(a.payload, b.payload);
  EXPECT_EQ(a.signature, b.signature);
}

void expect_same(const BlockHeader& a, const BlockHeader& b) {
  EXPECT_EQ(a.chain_id, b.chain_id);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.time_ms, b.time_ms);
  EXPECT_EQ(a.prev_block, b.prev_block);
  EXPECT_EQ(a.branches, b.branches);
  EXPECT_EQ(a.tx_root, b.tx_root);
  EXPECT_EQ(a.state_root, b.state_root);
  EXPECT_EQ(a.proposer, b.proposer);
  EXPECT_EQ(a.validators_hash, b.validators_hash);
  EXPECT_EQ(a.last_commit_hash, b.last_commit_hash);
}

void expect_same(const Commit& a, const Commit& b) {
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.round, b.round);
  EXPECT_EQ(a.block_hash, b.block_hash);
  ASSERT_EQ(a.signatures.size(), b.signatures.size());
  for (std::size_t i = 0; i < a.signatures.size(); ++i) {
    EXPECT_EQ(a.signatures[i].validator, b.signatures[i].validator);
    EXPECT_EQ(a.signatures[i].signature, b.signatures[i].signature);
  }
}

template <class T>
T decoded_value(const Decoded<T>& d) {
  EXPECT_TRUE(std::holds_alternative<T>(d)) << error_of(d);
  return std::holds_alternative<T>(d) ? std::get<T>(d) : T{};
}

// Transaction::kChargingRecord by "pm-test"'s 0x11.. key, nonce 0x0102030405060708.
const std::string kGoldenTxHex =
    "01"  // version
    "00000007"
    "706d2d74657374"                                                    // chain_id "pm-test"
    "0014"                                                              // type 20
    "1111111111111111111111111111111111111111111111111111111111111111"  // signer
    "0102030405060708"                                                  // nonce
    "00000002"
    "cafe"                                                              // payload
    "2222222222222222222222222222222222222222222222222222222222222222"  // signature
    "2222222222222222222222222222222222222222222222222222222222222222";

TEST(Encoding, GoldenTransaction) {
  const auto tx = sample_tx();
  EXPECT_EQ(to_hex(encode(tx)), kGoldenTxHex);
  EXPECT_EQ(encoded_size(tx), encode(tx).size());
  expect_same(decoded_value(decode_transaction(from_hex_string(kGoldenTxHex))), tx);
  EXPECT_EQ(hash_of(tx), sha256(from_hex_string(kGoldenTxHex)));
}

TEST(Encoding, TransactionRoundTrip) {
  for (auto tx : {sample_tx(), Transaction{}}) {
    const Bytes bytes = encode(tx);
    const auto back = decoded_value(decode_transaction(bytes));
    expect_same(back, tx);
    EXPECT_EQ(encode(back), bytes);
  }
}

TEST(Encoding, TransactionAtEveryLimitRoundTrips) {
  auto tx = sample_tx();
  tx.chain_id.assign(kMaxChainIdBytes, 'c');
  tx.payload.assign(kMaxPayloadBytes, 0xee);
  const Bytes bytes = encode(tx);
  EXPECT_LE(bytes.size(), kMaxTxBytes);
  expect_same(decoded_value(decode_transaction(bytes)), tx);
}

TEST(Encoding, UnknownTransactionTypesDecode) {
  // The application refuses them with kUnknownType; the decoder only reads.
  auto tx = sample_tx();
  tx.type = static_cast<TxType>(0xffff);
  EXPECT_EQ(decoded_value(decode_transaction(encode(tx))).type, static_cast<TxType>(0xffff));
}

TEST(Encoding, BlockHeaderRoundTrip) {
  auto all_branches = sample_header();
  all_branches.branches = {{Branch::kIdentity, 1, {}},
                           {Branch::kCharging, 2, filled_hash(1)},
                           {Branch::kEvaluation, 3, filled_hash(2)},
                           {Branch::kMarket, 4, filled_hash(3)}};
  auto negative_time = sample_header();
  negative_time.time_ms = -1;
  for (const auto& h : {sample_header(), BlockHeader{}, all_branches, negative_time}) {
    const Bytes bytes = encode(h);
    EXPECT_LE(bytes.size(), kMaxBlockHeaderBytes);
    const auto back = decoded_value(decode_block_header(bytes));
    expect_same(back, h);
    EXPECT_EQ(encode(back), bytes);
  }
}

TEST(Encoding, VoteRoundTrip) {
  const auto vote = sample_vote();
  const Bytes bytes = encode(vote);
  const auto back = decoded_value(decode_vote(bytes));
  EXPECT_EQ(back.chain_id, vote.chain_id);
  EXPECT_EQ(back.height, vote.height);
  EXPECT_EQ(back.round, vote.round);
  EXPECT_EQ(back.block_hash, vote.block_hash);
  EXPECT_EQ(back.validator, vote.validator);
  EXPECT_EQ(back.signature, vote.signature);
  EXPECT_EQ(encode(back), bytes);
}

TEST(Encoding, CommitRoundTrip) {
  auto full = sample_commit();
  full.signatures.assign(kMaxSignaturesPerCommit, {filled_key(1), filled_signature(2)});
  for (const auto& c : {sample_commit(), Commit{}, full}) {
    const Bytes bytes = encode(c);
    EXPECT_LE(bytes.size(), kMaxCommitBytes);
    const auto back = decoded_value(decode_commit(bytes));
    expect_same(back, c);
    EXPECT_EQ(encode(back), bytes);
  }
}

TEST(Encoding, BlockRoundTrip) {
  for (const auto& b : {sample_block(), Block{}}) {
    const Bytes bytes = encode(b);
    const auto back = decoded_value(decode_block(bytes));
    expect_same(back.header, b.header);
    ASSERT_EQ(back.txs.size(), b.txs.size());
    for (std::size_t i = 0; i < b.txs.size(); ++i) expect_same(back.txs[i], b.txs[i]);
    expect_same(back.last_commit, b.last_commit);
    EXPECT_EQ(encode(back), bytes);
  }
}

TEST(Encoding, BlockEmbedsEachFullEncodingLengthPrefixed) {
  const auto block = sample_block();
  const Bytes bytes = encode(block);
  auto contains = [&](const Bytes& part) {
    Bytes prefixed = {
        static_cast<std::uint8_t>(part.size() >> 24), static_cast<std::uint8_t>(part.size() >> 16),
        static_cast<std::uint8_t>(part.size() >> 8), static_cast<std::uint8_t>(part.size())};
    prefixed.insert(prefixed.end(), part.begin(), part.end());
    return std::search(bytes.begin(), bytes.end(), prefixed.begin(), prefixed.end()) != bytes.end();
  };
  EXPECT_EQ(bytes[0], kBlockEncodingVersion);
  EXPECT_TRUE(contains(encode(block.header)));
  EXPECT_TRUE(contains(encode(block.txs[0])));
  EXPECT_TRUE(contains(encode(block.txs[1])));
  EXPECT_TRUE(contains(encode(block.last_commit)));
}

TEST(Encoding, VersionByteComesFirst) {
  EXPECT_EQ(encode(sample_tx())[0], Transaction::kVersion);
  EXPECT_EQ(encode(sample_header())[0], BlockHeader::kVersion);
  EXPECT_EQ(encode(sample_vote())[0], Vote::kVersion);
  EXPECT_EQ(encode(sample_commit())[0], kCommitEncodingVersion);
  EXPECT_EQ(encode(sample_block())[0], kBlockEncodingVersion);
}

TEST(Encoding, SigningBytesAreDomainTaggedAndLeaveOutTheSignature) {
  auto tx = sample_tx();
  const Bytes tx_bytes = signing_bytes(tx);
  const std::string tx_tag = "pilemesh/tx/v1";
  Bytes expected = {0, 0, 0, static_cast<std::uint8_t>(tx_tag.size())};
  expected.insert(expected.end(), tx_tag.begin(), tx_tag.end());
  const Bytes encoded = encode(tx);
  expected.insert(expected.end(), encoded.begin(), encoded.end() - 64);
  EXPECT_EQ(tx_bytes, expected);
  tx.signature = filled_signature(0x99);
  EXPECT_EQ(signing_bytes(tx), tx_bytes);

  auto vote = sample_vote();
  const Bytes vote_bytes = signing_bytes(vote);
  const std::string vote_tag = "pilemesh/vote/v1";
  expected = {0, 0, 0, static_cast<std::uint8_t>(vote_tag.size())};
  expected.insert(expected.end(), vote_tag.begin(), vote_tag.end());
  const Bytes vote_encoded = encode(vote);
  expected.insert(expected.end(), vote_encoded.begin(), vote_encoded.end() - 64);
  EXPECT_EQ(vote_bytes, expected);
  vote.signature = filled_signature(0x99);
  EXPECT_EQ(signing_bytes(vote), vote_bytes);
}

TEST(Encoding, SigningBytesDifferBetweenDomains) {
  const auto tx = sample_tx();
  const auto vote = sample_vote();
  EXPECT_NE(signing_bytes(tx), signing_bytes(vote));
  const Bytes tx_bytes = signing_bytes(tx);
  const Bytes vote_bytes = signing_bytes(vote);
  EXPECT_NE(Bytes(tx_bytes.begin(), tx_bytes.begin() + 18),
            Bytes(vote_bytes.begin(), vote_bytes.begin() + 18));
}

// Applies each mutation to a copy of `base` and expects a hash unlike the base's and the others'.
template <class T>
void expect_every_field_changes(
    const T& base, const std::vector<std::pair<std::string, std::function<void(T&)>>>& changes,
    const std::function<Hash(const T&)>& hash) {
  std::set<Hash> seen = {hash(base)};
  for (const auto& [field, change] : changes) {
    T changed = base;
    change(changed);
    EXPECT_TRUE(seen.insert(hash(changed)).second) << field;
  }
}

TEST(Encoding, TransactionHashCoversEveryField) {
  expect_every_field_changes<Transaction>(
      sample_tx(),
      {{"chain_id", [](auto& t) { t.chain_id += "x"; }},
       {"type", [](auto& t) { t.type = TxType::kTransfer; }},
       {"signer", [](auto& t) { t.signer.bytes[5] ^= 1; }},
       {"nonce", [](auto& t) { ++t.nonce; }},
       {"payload", [](auto& t) { t.payload.push_back(0); }},
       {"signature", [](auto& t) { t.signature.bytes[0] ^= 1; }}},
      [](const Transaction& t) { return hash_of(t); });
}

TEST(Encoding, HeaderHashCoversEveryField) {
  expect_every_field_changes<BlockHeader>(
      sample_header(),
      {{"chain_id", [](auto& h) { h.chain_id += "x"; }},
       {"height", [](auto& h) { ++h.height; }},
       {"time_ms", [](auto& h) { ++h.time_ms; }},
       {"prev_block", [](auto& h) { h.prev_block.bytes[0] ^= 1; }},
       {"branches.size", [](auto& h) { h.branches.pop_back(); }},
       {"branches.branch", [](auto& h) { h.branches[1].branch = Branch::kEvaluation; }},
       {"branches.branch_height", [](auto& h) { ++h.branches[0].branch_height; }},
       {"branches.prev", [](auto& h) { h.branches[0].prev_branch_block.bytes[0] ^= 1; }},
       {"tx_root", [](auto& h) { h.tx_root.bytes[0] ^= 1; }},
       {"state_root", [](auto& h) { h.state_root.bytes[0] ^= 1; }},
       {"proposer", [](auto& h) { h.proposer.bytes[0] ^= 1; }},
       {"validators_hash", [](auto& h) { h.validators_hash.bytes[0] ^= 1; }},
       {"last_commit_hash", [](auto& h) { h.last_commit_hash.bytes[0] ^= 1; }}},
      [](const BlockHeader& h) { return hash_of(h); });
}

TEST(Encoding, CommitHashCoversEveryField) {
  expect_every_field_changes<Commit>(
      sample_commit(),
      {{"height", [](auto& c) { ++c.height; }},
       {"round", [](auto& c) { ++c.round; }},
       {"block_hash", [](auto& c) { c.block_hash.bytes[0] ^= 1; }},
       {"signatures.size", [](auto& c) { c.signatures.pop_back(); }},
       {"signatures.validator", [](auto& c) { c.signatures[1].validator.bytes[0] ^= 1; }},
       {"signatures.signature", [](auto& c) { c.signatures[0].signature.bytes[0] ^= 1; }},
       {"signatures.order", [](auto& c) { std::swap(c.signatures[0], c.signatures[1]); }}},
      [](const Commit& c) { return hash_of(c); });
}

TEST(Encoding, VoteSigningBytesCoverEveryFieldButTheSignature) {
  expect_every_field_changes<Vote>(sample_vote(),
                                   {{"chain_id", [](auto& v) { v.chain_id += "x"; }},
                                    {"height", [](auto& v) { ++v.height; }},
                                    {"round", [](auto& v) { ++v.round; }},
                                    {"block_hash", [](auto& v) { v.block_hash.bytes[0] ^= 1; }},
                                    {"validator", [](auto& v) { v.validator.bytes[0] ^= 1; }}},
                                   [](const Vote& v) { return sha256(signing_bytes(v)); });
}

}  // namespace
}  // namespace pilemesh::ledger
