// The application state: key/value bytes in the ledger database, with a state root that
// commits to all of it and is updated incrementally, block by block.
//
// The state root is a bucketed Merkle tree (every hash SHA-256, Merkle trees as in merkle.hpp):
//
//   entry hash   = sha256(u32_be(len(key)) || key || value)
//   bucket(key)  = the first 2 bytes of sha256(key), big-endian: 65 536 buckets
//   bucket hash  = merkle_root(entry hashes of the bucket's entries, sorted by key bytes);
//                  an empty bucket hashes to merkle_root({}) = sha256("")
//   tree         = a complete binary tree of 16 levels over the bucket hashes in bucket order:
//                  node = merkle_node_hash(left, right); level 0 are the buckets, level 16 the
//                  root. Bit i of the bucket number (from the least significant) says whether
//                  the level-i node is a right child.
//
// Only the root is stored (state_nodes, level 16). The bucket hashes and the inner nodes live
// in memory (4 MB), rebuilt from the entries' stored hashes on first use — one pass over the
// entries in bucket order — and whenever the stored root no longer matches them (after a
// rolled-back block); the rebuilt root must equal the stored one, or the file is damaged.
// Writing thousands of inner nodes through SQLite per block was most of a block's cost, and
// the bucket hashes (one row per changed bucket) a tenth of what was left. A changed key rehashes
// its own bucket (about n/65536 entries, read from a covering index of entry hashes) and the 16
// nodes above it, never the whole state.
//
// The root of the empty state is kEmptyStateRoot:
//   03f0e06610687f70ab58d0e39ae4abb846a5ad17ec789db9d910d27f0ec52ba3
//
// Writes are kept in memory, in key order, until flush() writes them and updates the tree;
// reads see them. flush() appends a block's changes to the journal (table state_journal, one
// row per flush, state_journal.hpp) rather than updating state_entries key by key: about a
// thousand keys spread over most of the table's pages made a block's commit write most of the
// table to the WAL. Once the journal holds kStateJournalBytes or kStateJournalRows, the flush
// writes it into state_entries in key order (each key and page once) and empties it. Every read
// sees the table with the journal over it (the journal's rows are held merged in memory, read
// back at first use), and the tree rebuild hashes the journal's buckets from their merged
// entries; where an entry lives never changes the root.
//
// Committed values and bucket contents once read (or flushed) are cached in memory, so that a block
// touching an account reads it from SQLite once, not at every check, proposal and execution;
// discard() drops the caches with the pending writes, since after a rolled-back block they may hold
// what the rollback undid. The caches take this store to be the only writer of its tables (the
// engine's, in the one process that writes the ledger): a second StateStore on the same file does
// not see this one's flushes of keys it has read. Deterministic by construction: nothing depends on
// time, insertion order or hash-table order. Keys are 1..256 bytes, values at most 64 KiB;
// std::invalid_argument otherwise. Not thread-safe: the engine owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/merkle.hpp"
#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t kMaxStateKeyBytes = 256;
inline constexpr std::size_t kMaxStateValueBytes = 64 * 1024;
inline constexpr int kStateTreeDepth = 16;
inline constexpr std::uint32_t kStateBuckets = 1u << kStateTreeDepth;
// flush() writes the journal into the state table once it holds this many bytes of changes or
// this many rows (blocks), whichever comes first.
inline constexpr std::size_t kStateJournalBytes = 4 << 20;
inline constexpr std::size_t kStateJournalRows = 256;

// One entry of a bucket, with its place in the bucket's Merkle tree.
struct StateProofEntry {
  Bytes key;
  Bytes value;
  MerkleProof proof;  // of the entry hash against bucket_hash
};

// Proves that a key has a value (inclusion) or has none (absence) under a state root.
// Inclusion: `entries` holds the key's own entry. Absence: `entries` is empty when the bucket
// is empty, else it holds the bucket's neighbours of the key: the entries just before and
// just after it (only one of them when the key would be first or last), at adjacent indexes.
struct StateProof {
  Bytes key;
  Hash bucket_hash;
  std::vector<StateProofEntry> entries;
  std::vector<Hash> siblings;  // kStateTreeDepth hashes, from the bucket up to the root
};

// True when `proof` shows that under `root` the key has `value` (or no value for nullopt).
bool verify_state_proof(const StateProof& proof, const Hash& root,
                        std::span<const std::uint8_t> key,
                        std::optional<std::span<const std::uint8_t>> value);

// The hash definitions above, for verifiers and for tests that rebuild a root from scratch.
Hash state_entry_hash(std::span<const std::uint8_t> key, std::span<const std::uint8_t> value);
std::uint32_t state_bucket(std::span<const std::uint8_t> key);
// The hash of an empty subtree whose top is at `level` (0 = an empty bucket).
const Hash& empty_state_subtree(int level);
const Hash& empty_state_root();

class StateStore {
 public:
  // The tables (state_entries, state_nodes) are created by LedgerStore's migrations.
  explicit StateStore(store::Database& db);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Sees pending writes.
  std::optional<Bytes> get(std::span<const std::uint8_t> key) const;
  void put(std::span<const std::uint8_t> key, std::span<const std::uint8_t> value);
  void erase(std::span<const std::uint8_t> key);

  // Keys starting with `prefix`, in key order, at most `limit` of them; sees pending writes.
  std::vector<std::pair<Bytes, Bytes>> scan_prefix(std::span<const std::uint8_t> prefix,
                                                   std::size_t limit) const;

  // Writes the pending changes to the journal and updates the tree; returns the new root.
  // Atomic (a savepoint); meant to run inside the engine's transaction for the block, so that
  // a rollback of that transaction undoes it too (call discard() then).
  Hash flush();
  // Writes the journal's changes into the state table and empties the journal; the state and
  // its root stay as they are. flush() does it when the journal is full; tests and tools call
  // it to have the table hold everything. Atomic, and like flush() undone by a rollback of the
  // caller's transaction (call discard() then).
  void compact();
  // Forgets the pending changes and the cached committed state (which may hold a flush that
  // the caller's transaction then rolled back).
  void discard();
  bool has_pending() const { return !pending_.empty(); }

  // The root of the state as stored (flushed), read from the database: after a rolled-back
  // transaction it is the root from before it.
  Hash root() const;

  // Every flushed entry, in key order, until `visit` returns false (pending writes unseen).
  // `visit` must not call this store: the walk holds its statement and journal open.
  void for_each_flushed(
      const std::function<bool(const Bytes& key, const Bytes& value)>& visit) const;

  // Inclusion or absence proof of `key` against root(), from the flushed state.
  StateProof prove(std::span<const std::uint8_t> key) const;

  // Text keys and values, for the contracts' readable key layout ("acct/<hex>").
  std::optional<Bytes> get(std::string_view key) const;
  void put(std::string_view key, std::span<const std::uint8_t> value);
  void erase(std::string_view key);

 private:
  struct Statements;
  struct Journal;
  const Journal& journal() const;  // read from the table on first use
  void write_journal_into_table();
  // The flushed entries (table and journal) with `overlay` over them, in key order, those
  // whose keys start with `prefix`, until `visit` returns false.
  void walk(std::span<const std::uint8_t> prefix,
            const std::map<Bytes, std::optional<Bytes>>* overlay,
            const std::function<bool(const Bytes&, const Bytes&)>& visit) const;
  std::optional<Bytes> get_flushed(std::span<const std::uint8_t> key) const;
  Hash node(int level, std::uint32_t index) const;
  Hash stored_root() const;
  void store_node(int level, std::uint32_t index, const Hash& hash);
  // Makes tree_ match the stored bucket hashes and root.
  void ensure_tree() const;
  // Recomputes the nodes above the given level-0 entries of tree_, each once.
  void update_above(std::vector<std::uint32_t> changed) const;  // sorted, unique
  // A bucket's entries as stored: (key, entry hash), in key order.
  using BucketEntries = std::vector<std::pair<Bytes, Hash>>;
  const BucketEntries& cached_bucket(std::uint32_t bucket) const;
  BucketEntries bucket_entries(std::uint32_t bucket) const;
  // `stored` (a bucket's entries in the table) with the journal's changes to it merged in.
  BucketEntries with_journal(std::uint32_t bucket, BucketEntries stored) const;
  void forget_cache() const;
  struct BytesHasher {
    std::size_t operator()(const Bytes& b) const {
      return std::hash<std::string_view>{}(
          std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    }
  };

  store::Database& db_;
  std::unique_ptr<Statements> sql_;
  // Pending writes: a value, or nullopt for an erase. Ordered, so that flushing and scanning
  // are deterministic.
  std::map<Bytes, std::optional<Bytes>> pending_;
  // The journal's rows merged; null until read, and again after a rollback may have undone
  // some of what it held.
  mutable std::unique_ptr<Journal> journal_;
  // tree_[level][index] for levels 0..16, valid when tree_valid_ and tree_root_ equals the
  // stored root.
  mutable std::vector<std::vector<Hash>> tree_;
  mutable Hash tree_root_;
  mutable bool tree_valid_ = false;
  // The flushed state as last read or written through this store (nullopt: no such key), and
  // the buckets' entries likewise. Only looked up, never iterated, so hash order cannot leak
  // into anything hashed. Bounded: emptied when they grow past a limit.
  mutable std::unordered_map<Bytes, std::optional<Bytes>, BytesHasher> values_;
  mutable std::unordered_map<std::uint32_t, BucketEntries> buckets_;
  mutable std::size_t bucket_entries_cached_ = 0;
};

}  // namespace pilemesh::ledger
