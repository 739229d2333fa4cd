// The canonical binary encoding of transactions, blocks, votes and commits.
//
// Deterministic: big-endian fixed-width integers, every variable field length-prefixed (u32)
// and bounded, lists count-prefixed and bounded, an explicit version byte at the start of each
// top-level object. One value has exactly one encoding; decoding rejects anything else
// (trailing bytes, unknown versions, over-long fields, non-canonical order) with a reason.
// Hashes and signatures are computed over these bytes, so they are consensus-critical: change
// them only with a new version byte.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/transaction.hpp"

namespace pilemesh::ledger {

// Why bytes could not be decoded: "transaction: payload: 70000 bytes, limit 16384".
struct DecodeError {
  std::string reason;
};

template <class T>
using Decoded = std::variant<T, DecodeError>;

// Block and Commit have no version constant of their own in block.hpp; these are theirs.
inline constexpr std::uint8_t kBlockEncodingVersion = 1;
inline constexpr std::uint8_t kCommitEncodingVersion = 1;

// Upper bounds of the nested encodings inside a block, implied by the limits of block.hpp and
// transaction.hpp.
inline constexpr std::size_t kMaxBranchLinks = 4;
inline constexpr std::size_t kMaxBlockHeaderBytes =
    1 + 4 + kMaxChainIdBytes + 8 + 8 + 32 + 4 + kMaxBranchLinks * (1 + 8 + 32) + 5 * 32;
inline constexpr std::size_t kMaxCommitBytes = 1 + 8 + 4 + 32 + 4 + kMaxSignaturesPerCommit * 96;

// Layouts, fields in struct order. A branch link is u8 branch (1..4), u64 branch_height, hash;
// a header's links are strictly increasing by branch. A commit signature is key || signature.
// A block is: version, header encoding (length-prefixed), u32 tx count, each transaction's full
// encoding (length-prefixed), last_commit encoding (length-prefixed) — so a block's parts hash
// to the same ids as the parts alone. encode() does not check limits; decoding does.
Bytes encode(const Transaction& tx);
Bytes encode(const BlockHeader& header);
Bytes encode(const Block& block);
Bytes encode(const Vote& vote);
Bytes encode(const Commit& commit);

// encode(tx).size() without encoding, e.g. for the mempool's byte budget.
std::size_t encoded_size(const Transaction& tx);

Decoded<Transaction> decode_transaction(std::span<const std::uint8_t> bytes);
Decoded<BlockHeader> decode_block_header(std::span<const std::uint8_t> bytes);
Decoded<Block> decode_block(std::span<const std::uint8_t> bytes);
Decoded<Vote> decode_vote(std::span<const std::uint8_t> bytes);
Decoded<Commit> decode_commit(std::span<const std::uint8_t> bytes);

// What the signer signs: a domain tag ("pilemesh/tx/v1", "pilemesh/vote/v1") followed by the
// encoding without the signature, so a signature of one kind can never pass as another.
Bytes signing_bytes(const Transaction& tx);
Bytes signing_bytes(const Vote& vote);

Hash hash_of(const Transaction& tx);  // sha256(encode(tx)) — the transaction id
Hash hash_of(const BlockHeader& h);   // sha256(encode(header)) — the block id
Hash hash_of(const Commit& commit);

}  // namespace pilemesh::ledger
