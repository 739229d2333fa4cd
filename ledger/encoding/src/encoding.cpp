// Transactions and votes: their encodings, signing bytes and hashes.
#include "pilemesh/ledger/encoding.hpp"

#include "encoding_detail.hpp"

namespace pilemesh::ledger {

using detail::decode_object;
using detail::read_version;

namespace {

constexpr std::string_view kTxDomain = "pilemesh/tx/v1";
constexpr std::string_view kVoteDomain = "pilemesh/vote/v1";

std::size_t unsigned_tx_size(const Transaction& tx) {
  return 1 + 4 + tx.chain_id.size() + 2 + 32 + 8 + 4 + tx.payload.size();
}

std::size_t unsigned_vote_size(const Vote& vote) {
  return 1 + 4 + vote.chain_id.size() + 8 + 4 + 32 + 32;
}

// Everything but the signature: shared by the encoding and the signing bytes.
void write_unsigned(Writer& w, const Transaction& tx) {
  w.u8(Transaction::kVersion);
  w.string(tx.chain_id);
  w.u16(static_cast<std::uint16_t>(tx.type));
  w.raw(tx.signer.bytes);
  w.u64(tx.nonce);
  w.bytes(tx.payload);
}

void write_unsigned(Writer& w, const Vote& vote) {
  w.u8(Vote::kVersion);
  w.string(vote.chain_id);
  w.u64(vote.height);
  w.u32(vote.round);
  w.raw(vote.block_hash.bytes);
  w.raw(vote.validator.bytes);
}

}  // namespace

std::size_t encoded_size(const Transaction& tx) {
  return unsigned_tx_size(tx) + 64;
}

void detail::encode_into(Writer& w, const Transaction& tx) {
  write_unsigned(w, tx);
  w.raw(tx.signature.bytes);
}

Bytes encode(const Transaction& tx) {
  Writer w(encoded_size(tx));
  detail::encode_into(w, tx);
  return w.take();
}

Bytes encode(const Vote& vote) {
  Writer w(unsigned_vote_size(vote) + 64);
  write_unsigned(w, vote);
  w.raw(vote.signature.bytes);
  return w.take();
}

Decoded<Transaction> decode_transaction(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxTxBytes) {
    return DecodeError{"transaction: " + std::to_string(bytes.size()) + " bytes, limit " +
                       std::to_string(kMaxTxBytes)};
  }
  return decode_object<Transaction>("transaction", bytes, [](Reader& r, Transaction& tx) {
    std::uint16_t type = 0;
    // Any type number decodes: unknown types are the application's to refuse (kUnknownType).
    const bool ok = read_version(r, Transaction::kVersion) &&
                    r.string("chain_id", kMaxChainIdBytes, tx.chain_id) && r.u16("type", type) &&
                    r.raw("signer", tx.signer.bytes) && r.u64("nonce", tx.nonce) &&
                    r.bytes("payload", kMaxPayloadBytes, tx.payload) &&
                    r.raw("signature", tx.signature.bytes);
    tx.type = static_cast<TxType>(type);
    return ok;
  });
}

Decoded<Vote> decode_vote(std::span<const std::uint8_t> bytes) {
  return decode_object<Vote>("vote", bytes, [](Reader& r, Vote& vote) {
    return read_version(r, Vote::kVersion) &&
           r.string("chain_id", kMaxChainIdBytes, vote.chain_id) && r.u64("height", vote.height) &&
           r.u32("round", vote.round) && r.raw("block_hash", vote.block_hash.bytes) &&
           r.raw("validator", vote.validator.bytes) && r.raw("signature", vote.signature.bytes);
  });
}

Bytes signing_bytes(const Transaction& tx) {
  Writer w(4 + kTxDomain.size() + unsigned_tx_size(tx));
  w.string(kTxDomain);
  write_unsigned(w, tx);
  return w.take();
}

Bytes signing_bytes(const Vote& vote) {
  Writer w(4 + kVoteDomain.size() + unsigned_vote_size(vote));
  w.string(kVoteDomain);
  write_unsigned(w, vote);
  return w.take();
}

Hash hash_of(const Transaction& tx) {
  return sha256(encode(tx));
}

}  // namespace pilemesh::ledger
