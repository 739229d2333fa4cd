// Every limit and malformed input is refused, with a reason naming the object and field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "samples.hpp"

namespace pilemesh::ledger {
namespace {

using namespace test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Bytes with_trailing_byte(Bytes b) {
  b.push_back(0);
  return b;
}

Bytes with_version(Bytes b, std::uint8_t version) {
  b[0] = version;
  return b;
}

// Writes a transaction whose payload prefix claims `payload_length` bytes but carries none.
Bytes lying_payload_tx(std::uint32_t payload_length) {
  Writer w;
  w.u8(Transaction::kVersion);
  w.string("pm-test");
  w.u16(1);
  w.raw(filled_key(1).bytes);
  w.u64(1);
  w.u32(payload_length);
  return w.take();
}

// ---- transactions

TEST(DecodeErrors, TransactionFields) {
  auto tx = sample_tx();
  tx.chain_id.assign(kMaxChainIdBytes + 1, 'c');
  EXPECT_EQ(error_of(decode_transaction(encode(tx))), "transaction: chain_id: 65 bytes, limit 64");

  tx = sample_tx();
  tx.payload.assign(kMaxPayloadBytes + 1, 0);
  EXPECT_EQ(error_of(decode_transaction(encode(tx))),
            "transaction: payload: 16385 bytes, limit 16384");

  EXPECT_EQ(error_of(decode_transaction(lying_payload_tx(70000))),
            "transaction: payload: 70000 bytes, limit 16384");
  EXPECT_EQ(error_of(decode_transaction(lying_payload_tx(10))),
            "transaction: payload: truncated: needs 10 bytes, 0 left");
}

TEST(DecodeErrors, TransactionSizeLimit) {
  const Bytes big(kMaxTxBytes + 1, 0x01);
  EXPECT_EQ(error_of(decode_transaction(big)), "transaction: 16641 bytes, limit 16640");
}

TEST(DecodeErrors, TransactionVersionAndTrailingBytes) {
  EXPECT_EQ(error_of(decode_transaction(with_version(encode(sample_tx()), 2))),
            "transaction: version: unknown version 2 (expected 1)");
  EXPECT_EQ(error_of(decode_transaction(with_trailing_byte(encode(sample_tx())))),
            "transaction: 1 trailing bytes");
  EXPECT_EQ(error_of(decode_transaction({})),
            "transaction: version: truncated: needs 1 bytes, 0 left");
}

// Cutting a valid encoding anywhere must fail, naming the field that was cut.
template <class T, class Decode>
void expect_every_truncation_fails(const Bytes& full, Decode decode, std::string_view object) {
  for (std::size_t n = 0; n < full.size(); ++n) {
    const auto decoded = decode(std::span(full).first(n));
    ASSERT_TRUE(std::holds_alternative<DecodeError>(decoded)) << n << " bytes";
    EXPECT_THAT(error_of(decoded), StartsWith(std::string(object) + ": ")) << n;
    EXPECT_THAT(error_of(decoded), HasSubstr("truncated")) << n;
  }
}

TEST(DecodeErrors, EveryTruncationFails) {
  expect_every_truncation_fails<Transaction>(encode(sample_tx()), decode_transaction,
                                             "transaction");
  expect_every_truncation_fails<BlockHeader>(encode(sample_header()), decode_block_header,
                                             "block header");
  expect_every_truncation_fails<Vote>(encode(sample_vote()), decode_vote, "vote");
  expect_every_truncation_fails<Commit>(encode(sample_commit()), decode_commit, "commit");
  expect_every_truncation_fails<Block>(encode(sample_block()), decode_block, "block");
}

TEST(DecodeErrors, TruncationNamesTheField) {
  const Bytes tx = encode(sample_tx());
  EXPECT_EQ(error_of(decode_transaction(std::span(tx).first(1 + 4 + 7 + 2 + 32 + 3))),
            "transaction: nonce: truncated: needs 8 bytes, 3 left");
  EXPECT_EQ(error_of(decode_transaction(std::span(tx).first(tx.size() - 1))),
            "transaction: signature: truncated: needs 64 bytes, 63 left");
}

// ---- block headers

TEST(DecodeErrors, HeaderChainIdAndVersion) {
  auto h = sample_header();
  h.chain_id.assign(kMaxChainIdBytes + 1, 'c');
  EXPECT_EQ(error_of(decode_block_header(encode(h))), "block header: chain_id: 65 bytes, limit 64");
  EXPECT_EQ(error_of(decode_block_header(with_version(encode(sample_header()), 0))),
            "block header: version: unknown version 0 (expected 1)");
  EXPECT_EQ(error_of(decode_block_header(with_trailing_byte(encode(sample_header())))),
            "block header: 1 trailing bytes");
}

TEST(DecodeErrors, HeaderBranchCount) {
  auto h = sample_header();
  h.branches = {{Branch::kIdentity, 1, {}},
                {Branch::kCharging, 1, {}},
                {Branch::kEvaluation, 1, {}},
                {Branch::kMarket, 1, {}},
                {Branch::kMarket, 2, {}}};
  EXPECT_EQ(error_of(decode_block_header(encode(h))), "block header: branches: 5 items, limit 4");
}

TEST(DecodeErrors, HeaderBranchValues) {
  for (std::uint8_t bad : {0, 5, 255}) {
    auto h = sample_header();
    h.branches[1].branch = static_cast<Branch>(bad);
    EXPECT_EQ(
        error_of(decode_block_header(encode(h))),
        "block header: branches[1]: branch: " + std::to_string(bad) + " is not a branch (1..4)");
  }
}

TEST(DecodeErrors, HeaderBranchOrder) {
  auto h = sample_header();
  std::swap(h.branches[0], h.branches[1]);
  EXPECT_EQ(error_of(decode_block_header(encode(h))),
            "block header: branches[1]: branch: 1 after 4; branches must be strictly increasing");
  h = sample_header();
  h.branches[1].branch = h.branches[0].branch;
  EXPECT_EQ(error_of(decode_block_header(encode(h))),
            "block header: branches[1]: branch: 1 after 1; branches must be strictly increasing");
}

// ---- votes and commits

TEST(DecodeErrors, VoteFields) {
  auto v = sample_vote();
  v.chain_id.assign(kMaxChainIdBytes + 1, 'c');
  EXPECT_EQ(error_of(decode_vote(encode(v))), "vote: chain_id: 65 bytes, limit 64");
  EXPECT_EQ(error_of(decode_vote(with_version(encode(sample_vote()), 9))),
            "vote: version: unknown version 9 (expected 1)");
  EXPECT_EQ(error_of(decode_vote(with_trailing_byte(encode(sample_vote())))),
            "vote: 1 trailing bytes");
}

TEST(DecodeErrors, CommitSignatures) {
  auto c = sample_commit();
  c.signatures.assign(kMaxSignaturesPerCommit + 1, {});
  EXPECT_EQ(error_of(decode_commit(encode(c))), "commit: signatures: 257 items, limit 256");

  Bytes lying = encode(sample_commit());
  lying[1 + 8 + 4 + 32 + 3] = 3;  // claims 3 signatures, carries 2
  EXPECT_EQ(error_of(decode_commit(lying)),
            "commit: signatures: truncated: 3 items need at least 288 bytes, 192 left");

  EXPECT_EQ(error_of(decode_commit(with_version(encode(sample_commit()), 2))),
            "commit: version: unknown version 2 (expected 1)");
  EXPECT_EQ(error_of(decode_commit(with_trailing_byte(encode(sample_commit())))),
            "commit: 1 trailing bytes");
}

// ---- blocks

// A block whose transaction list is written by `write_txs`.
Bytes block_with_txs(const std::function<void(Writer&)>& write_txs) {
  Writer w;
  w.u8(kBlockEncodingVersion);
  w.bytes(encode(sample_header()));
  write_txs(w);
  w.bytes(encode(sample_commit()));
  return w.take();
}

TEST(DecodeErrors, BlockNamesTheFailingTransaction) {
  const Bytes block = block_with_txs([](Writer& w) {
    w.count(4);
    for (int i = 0; i < 3; ++i) w.bytes(encode(sample_tx()));
    w.bytes(lying_payload_tx(70000));
  });
  EXPECT_EQ(error_of(decode_block(block)),
            "block: txs[3]: transaction: payload: 70000 bytes, limit 16384");
}

TEST(DecodeErrors, BlockTransactionSizeLimit) {
  const Bytes block = block_with_txs([](Writer& w) {
    w.count(1);
    w.bytes(Bytes(kMaxTxBytes + 1, 0));
  });
  EXPECT_EQ(error_of(decode_block(block)), "block: txs[0]: 16641 bytes, limit 16640");
}

TEST(DecodeErrors, BlockTransactionCount) {
  const Bytes block = block_with_txs([](Writer& w) { w.count(kMaxTxsPerBlock + 1); });
  EXPECT_EQ(error_of(decode_block(block)), "block: txs: 10001 items, limit 10000");
}

TEST(DecodeErrors, BlockTransactionWithTrailingBytes) {
  const Bytes block = block_with_txs([](Writer& w) {
    w.count(1);
    w.bytes(with_trailing_byte(encode(sample_tx())));
  });
  EXPECT_EQ(error_of(decode_block(block)), "block: txs[0]: transaction: 1 trailing bytes");
}

TEST(DecodeErrors, BlockNestedHeaderAndCommit) {
  auto b = sample_block();
  b.header.branches[0].branch = static_cast<Branch>(7);
  EXPECT_EQ(error_of(decode_block(encode(b))),
            "block: header: block header: branches[0]: branch: 7 is not a branch (1..4)");
  b = sample_block();
  b.last_commit.signatures.assign(kMaxSignaturesPerCommit + 1, {});
  EXPECT_THAT(error_of(decode_block(encode(b))), StartsWith("block: last_commit: "));
}

TEST(DecodeErrors, BlockVersionAndTrailingBytes) {
  EXPECT_EQ(error_of(decode_block(with_version(encode(sample_block()), 2))),
            "block: version: unknown version 2 (expected 1)");
  EXPECT_EQ(error_of(decode_block(with_trailing_byte(encode(sample_block())))),
            "block: 1 trailing bytes");
}

// ---- anything else: no crash, no exception, and what decodes is canonical

template <class Decode>
void expect_safe(const Bytes& bytes, Decode decode) {
  const auto decoded = decode(bytes);
  if (std::holds_alternative<DecodeError>(decoded)) {
    EXPECT_FALSE(std::get<DecodeError>(decoded).reason.empty());
  } else {
    EXPECT_EQ(encode(std::get<0>(decoded)), bytes);
  }
}

void expect_safe_everywhere(const Bytes& bytes) {
  expect_safe(bytes, decode_transaction);
  expect_safe(bytes, decode_block_header);
  expect_safe(bytes, decode_vote);
  expect_safe(bytes, decode_commit);
  expect_safe(bytes, decode_block);
}

TEST(DecodeErrors, EverySingleByteChangeIsSafe) {
  for (const Bytes& valid : {encode(sample_tx()), encode(sample_header()), encode(sample_vote()),
                             encode(sample_commit()), encode(sample_block())}) {
    for (std::size_t i = 0; i < valid.size(); ++i) {
      for (std::uint8_t x : {0x01, 0x80, 0xff}) {
        Bytes changed = valid;
        changed[i] ^= x;
        expect_safe_everywhere(changed);
      }
    }
  }
}

TEST(DecodeErrors, RandomBytesAreSafe) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 2000; ++round) {
    Bytes bytes(rng() % 600);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    if (!bytes.empty()) bytes[0] = 1;  // get past the version byte
    expect_safe_everywhere(bytes);
  }
}

}  // namespace
}  // namespace pilemesh::ledger
