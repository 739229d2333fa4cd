// Block headers, commits and blocks: their encodings and hashes.
#include "encoding_detail.hpp"
#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger {

using detail::decode_object;
using detail::read_version;

namespace {

constexpr std::size_t kFixedHeaderBytes = 1 + 4 + 8 + 8 + 32 + 4 + 5 * 32;
constexpr std::size_t kFixedCommitBytes = 1 + 8 + 4 + 32 + 4;

void write_header(Writer& w, const BlockHeader& h) {
  w.u8(BlockHeader::kVersion);
  w.string(h.chain_id);
  w.u64(h.height);
  w.i64(h.time_ms);
  w.raw(h.prev_block.bytes);
  w.count(h.branches.size());
  for (const auto& link : h.branches) {
    w.u8(static_cast<std::uint8_t>(link.branch));
    w.u64(link.branch_height);
    w.raw(link.prev_branch_block.bytes);
  }
  w.raw(h.tx_root.bytes);
  w.raw(h.state_root.bytes);
  w.raw(h.proposer.bytes);
  w.raw(h.validators_hash.bytes);
  w.raw(h.last_commit_hash.bytes);
}

void write_commit(Writer& w, const Commit& c) {
  w.u8(kCommitEncodingVersion);
  w.u64(c.height);
  w.u32(c.round);
  w.raw(c.block_hash.bytes);
  w.count(c.signatures.size());
  for (const auto& s : c.signatures) {
    w.raw(s.validator.bytes);
    w.raw(s.signature.bytes);
  }
}

std::size_t header_size(const BlockHeader& h) {
  return kFixedHeaderBytes + h.chain_id.size() + h.branches.size() * detail::kBranchLinkBytes;
}

std::size_t commit_size(const Commit& c) {
  return kFixedCommitBytes + c.signatures.size() * detail::kCommitSignatureBytes;
}

// Branches are a closed set, listed once each in increasing order: that order is part of the
// canonical form.
bool read_branch_link(Reader& r, std::uint8_t previous, BranchLink& link) {
  std::uint8_t branch = 0;
  if (!r.u8("branch", branch)) return false;
  if (branch < static_cast<std::uint8_t>(Branch::kIdentity) ||
      branch > static_cast<std::uint8_t>(Branch::kMarket)) {
    return r.fail("branch", std::to_string(branch) + " is not a branch (1..4)");
  }
  if (branch <= previous) {
    return r.fail("branch", std::to_string(branch) + " after " + std::to_string(previous) +
                                "; branches must be strictly increasing");
  }
  link.branch = static_cast<Branch>(branch);
  return r.u64("branch_height", link.branch_height) &&
         r.raw("prev_branch_block", link.prev_branch_block.bytes);
}

bool read_header(Reader& r, BlockHeader& h) {
  if (!read_version(r, BlockHeader::kVersion) ||
      !r.string("chain_id", kMaxChainIdBytes, h.chain_id) || !r.u64("height", h.height) ||
      !r.i64("time_ms", h.time_ms) || !r.raw("prev_block", h.prev_block.bytes)) {
    return false;
  }
  std::size_t n = 0;
  if (!r.count("branches", kMaxBranchLinks, detail::kBranchLinkBytes, n)) return false;
  h.branches.resize(n);
  std::uint8_t previous = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!read_branch_link(r, previous, h.branches[i])) return r.within({"branches", i});
    previous = static_cast<std::uint8_t>(h.branches[i].branch);
  }
  return r.raw("tx_root", h.tx_root.bytes) && r.raw("state_root", h.state_root.bytes) &&
         r.raw("proposer", h.proposer.bytes) && r.raw("validators_hash", h.validators_hash.bytes) &&
         r.raw("last_commit_hash", h.last_commit_hash.bytes);
}

bool read_commit(Reader& r, Commit& c) {
  std::size_t n = 0;
  if (!read_version(r, kCommitEncodingVersion) || !r.u64("height", c.height) ||
      !r.u32("round", c.round) || !r.raw("block_hash", c.block_hash.bytes) ||
      !r.count("signatures", kMaxSignaturesPerCommit, detail::kCommitSignatureBytes, n)) {
    return false;
  }
  c.signatures.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& s = c.signatures[i];
    if (!r.raw({"signatures", i}, s.validator.bytes) ||
        !r.raw({"signatures", i}, s.signature.bytes)) {
      return false;
    }
  }
  return true;
}

// A nested object decoded by its own top-level decoder; its error is kept under `field`.
template <class T, class Decode>
bool read_nested(Reader& r, Field field, std::size_t limit, Decode decode, T& out) {
  std::span<const std::uint8_t> bytes;
  if (!r.nested(field, limit, bytes)) return false;
  auto decoded = decode(bytes);
  if (auto* error = std::get_if<DecodeError>(&decoded)) return r.fail(field, error->reason);
  out = std::move(std::get<T>(decoded));
  return true;
}

bool read_block(Reader& r, Block& b) {
  std::size_t n = 0;
  if (!read_version(r, kBlockEncodingVersion) ||
      !read_nested(r, "header", kMaxBlockHeaderBytes, decode_block_header, b.header) ||
      !r.count("txs", kMaxTxsPerBlock, 4 + detail::kMinTxBytes, n)) {
    return false;
  }
  b.txs.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!read_nested(r, {"txs", i}, kMaxTxBytes, decode_transaction, b.txs[i])) return false;
  }
  return read_nested(r, "last_commit", kMaxCommitBytes, decode_commit, b.last_commit);
}

}  // namespace

Bytes encode(const BlockHeader& header) {
  Writer w(header_size(header));
  write_header(w, header);
  return w.take();
}

Bytes encode(const Commit& commit) {
  Writer w(commit_size(commit));
  write_commit(w, commit);
  return w.take();
}

Bytes encode(const Block& block) {
  std::size_t size = 1 + 4 + header_size(block.header) + 4 + 4 + commit_size(block.last_commit);
  for (const auto& tx : block.txs) size += 4 + encoded_size(tx);
  Writer w(size);
  w.u8(kBlockEncodingVersion);
  auto mark = w.begin_nested();
  write_header(w, block.header);
  w.end_nested(mark);
  w.count(block.txs.size());
  for (const auto& tx : block.txs) {
    mark = w.begin_nested();
    detail::encode_into(w, tx);
    w.end_nested(mark);
  }
  mark = w.begin_nested();
  write_commit(w, block.last_commit);
  w.end_nested(mark);
  return w.take();
}

Decoded<BlockHeader> decode_block_header(std::span<const std::uint8_t> bytes) {
  return decode_object<BlockHeader>("block header", bytes, read_header);
}

Decoded<Commit> decode_commit(std::span<const std::uint8_t> bytes) {
  return decode_object<Commit>("commit", bytes, read_commit);
}

Decoded<Block> decode_block(std::span<const std::uint8_t> bytes) {
  return decode_object<Block>("block", bytes, read_block);
}

Hash hash_of(const BlockHeader& h) {
  return sha256(encode(h));
}
Hash hash_of(const Commit& commit) {
  return sha256(encode(commit));
}

}  // namespace pilemesh::ledger
