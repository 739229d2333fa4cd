#include "pilemesh/ledger/state_store.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>
#include <string>

#include "pilemesh/ledger/sql_statement.hpp"
#include "pilemesh/ledger/state_journal.hpp"

namespace pilemesh::ledger {
namespace {

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

void check_key(std::span<const std::uint8_t> key) {
  if (key.empty() || key.size() > kMaxStateKeyBytes) {
    throw std::invalid_argument("state key of " + std::to_string(key.size()) +
                                " bytes; keys are 1.." + std::to_string(kMaxStateKeyBytes) +
                                " bytes");
  }
}

bool has_prefix(const Bytes& key, std::span<const std::uint8_t> prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

Hash hash_from(const Bytes& blob, const store::Database& db) {
  Hash h;
  if (blob.size() != h.bytes.size()) {
    throw store::StoreError(db.path().filename().string() + ": a state hash of " +
                            std::to_string(blob.size()) + " bytes is stored; the file is damaged");
  }
  std::copy(blob.begin(), blob.end(), h.bytes.begin());
  return h;
}

// Enough for the accounts of many full blocks; past it the caches start over rather than grow
// with the state (a few tens of MB at most).
constexpr std::size_t kMaxCachedValues = 1 << 18;
constexpr std::size_t kMaxCachedBucketEntries = 1 << 18;

}  // namespace

Hash state_entry_hash(std::span<const std::uint8_t> key, std::span<const std::uint8_t> value) {
  Bytes data;
  data.reserve(4 + key.size() + value.size());
  const auto n = static_cast<std::uint32_t>(key.size());
  data.push_back(static_cast<std::uint8_t>(n >> 24));
  data.push_back(static_cast<std::uint8_t>(n >> 16));
  data.push_back(static_cast<std::uint8_t>(n >> 8));
  data.push_back(static_cast<std::uint8_t>(n));
  data.insert(data.end(), key.begin(), key.end());
  data.insert(data.end(), value.begin(), value.end());
  return sha256(data);
}

std::uint32_t state_bucket(std::span<const std::uint8_t> key) {
  const Hash h = sha256(key);
  return (static_cast<std::uint32_t>(h.bytes[0]) << 8) | h.bytes[1];
}

const Hash& empty_state_subtree(int level) {
  static const std::array<Hash, kStateTreeDepth + 1> kEmpty = [] {
    std::array<Hash, kStateTreeDepth + 1> e{};
    e[0] = merkle_root(std::span<const Hash>{});
    for (int l = 1; l <= kStateTreeDepth; ++l) e[l] = merkle_node_hash(e[l - 1], e[l - 1]);
    return e;
  }();
  if (level < 0 || level > kStateTreeDepth) throw std::out_of_range("state tree level");
  return kEmpty[static_cast<std::size_t>(level)];
}

const Hash& empty_state_root() {
  return empty_state_subtree(kStateTreeDepth);
}

struct StateStore::Statements {
  explicit Statements(store::Database& db)
      : get(db, "SELECT value FROM state_entries WHERE key = ?1"),
        upsert(db,
               "INSERT INTO state_entries(key, bucket, value, hash) VALUES (?1, ?2, ?3, ?4) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value, hash = excluded.hash"),
        update(db, "UPDATE state_entries SET value = ?2, hash = ?3 WHERE key = ?1"),
        erase(db, "DELETE FROM state_entries WHERE key = ?1"),
        bucket(db, "SELECT key, hash FROM state_entries WHERE bucket = ?1 ORDER BY key"),
        scan(db, "SELECT key, value FROM state_entries WHERE key >= ?1 ORDER BY key"),
        node_get(db, "SELECT hash FROM state_nodes WHERE level = ?1 AND idx = ?2"),
        node_put(db,
                 "INSERT INTO state_nodes(level, idx, hash) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT(level, idx) DO UPDATE SET hash = excluded.hash"),
        node_erase(db, "DELETE FROM state_nodes WHERE level = ?1 AND idx = ?2"),
        by_bucket(db, "SELECT bucket, hash, key FROM state_entries ORDER BY bucket, key"),
        journal_add(db, "INSERT INTO state_journal(changes) VALUES (?1)"),
        journal_rows(db, "SELECT seq, changes FROM state_journal ORDER BY seq"),
        journal_clear(db, "DELETE FROM state_journal") {}
  SqlStatement get, upsert, update, erase, bucket, scan, node_get, node_put, node_erase, by_bucket,
      journal_add, journal_rows, journal_clear;
};

// The journal's changes, merged in row order, with each changed key's bucket.
struct StateStore::Journal {
  state_journal::Changes changes;
  // Each bucket's changes in key order, as pointers into `changes` (whose nodes never move).
  using Change = state_journal::Changes::value_type;
  std::map<std::uint32_t, std::vector<const Change*>> by_bucket;
  std::size_t rows = 0;
  std::size_t bytes = 0;

  Journal() = default;
  Journal(Journal&&) = default;
  Journal(const Journal&) = delete;  // a copy's by_bucket would point into the other's map
  Journal& operator=(const Journal&) = delete;

  // `buckets` holds each change's bucket, in the changes' order.
  void add(const state_journal::Changes& more, std::span<const std::uint32_t> buckets) {
    auto bucket = buckets.begin();
    for (const auto& [key, value] : more) {
      const auto [it, fresh] = changes.insert_or_assign(key, value);
      const std::uint32_t key_bucket = *bucket++;
      if (!fresh) continue;
      auto& in_bucket = by_bucket[key_bucket];
      const auto at =
          std::upper_bound(in_bucket.begin(), in_bucket.end(), key,
                           [](const Bytes& k, const Change* change) { return k < change->first; });
      in_bucket.insert(at, &*it);
    }
  }
  void add(const state_journal::Changes& more) {
    std::vector<std::uint32_t> buckets;
    buckets.reserve(more.size());
    for (const auto& change : more) buckets.push_back(state_bucket(change.first));
    add(more, buckets);
  }
};

StateStore::StateStore(store::Database& db) : db_(db), sql_(std::make_unique<Statements>(db)) {}

StateStore::~StateStore() = default;

std::optional<Bytes> StateStore::get(std::span<const std::uint8_t> key) const {
  check_key(key);
  if (auto it = pending_.find(Bytes(key.begin(), key.end())); it != pending_.end()) {
    return it->second;
  }
  return get_flushed(key);
}

std::optional<Bytes> StateStore::get_flushed(std::span<const std::uint8_t> key) const {
  Bytes k(key.begin(), key.end());
  if (auto it = values_.find(k); it != values_.end()) return it->second;
  std::optional<Bytes> value;
  const Journal& j = journal();
  if (auto it = j.changes.find(k); it != j.changes.end()) {
    value = it->second;
  } else {
    SqlCursor c(sql_->get);
    c->bind(1, key);
    if (c->step()) value = c->column_blob(0);
  }
  if (values_.size() >= kMaxCachedValues) values_.clear();
  values_.emplace(std::move(k), value);
  return value;
}

void StateStore::put(std::span<const std::uint8_t> key, std::span<const std::uint8_t> value) {
  check_key(key);
  if (value.size() > kMaxStateValueBytes) {
    throw std::invalid_argument("state value of " + std::to_string(value.size()) +
                                " bytes; the limit is " + std::to_string(kMaxStateValueBytes));
  }
  pending_[Bytes(key.begin(), key.end())] = Bytes(value.begin(), value.end());
}

void StateStore::erase(std::span<const std::uint8_t> key) {
  check_key(key);
  pending_[Bytes(key.begin(), key.end())] = std::nullopt;
}

std::optional<Bytes> StateStore::get(std::string_view key) const {
  return get(as_bytes(key));
}
void StateStore::put(std::string_view key, std::span<const std::uint8_t> value) {
  put(as_bytes(key), value);
}
void StateStore::erase(std::string_view key) {
  erase(as_bytes(key));
}

std::vector<std::pair<Bytes, Bytes>> StateStore::scan_prefix(std::span<const std::uint8_t> prefix,
                                                             std::size_t limit) const {
  std::vector<std::pair<Bytes, Bytes>> out;
  if (limit == 0) return out;
  walk(prefix, &pending_, [&](const Bytes& key, const Bytes& value) {
    out.emplace_back(key, value);
    return out.size() < limit;
  });
  return out;
}

void StateStore::for_each_flushed(
    const std::function<bool(const Bytes& key, const Bytes& value)>& visit) const {
  walk({}, nullptr, visit);
}

void StateStore::walk(std::span<const std::uint8_t> prefix, const state_journal::Changes* overlay,
                      const std::function<bool(const Bytes&, const Bytes&)>& visit) const {
  // Three sources in key order: the table's rows, the journal over them and the overlay (the
  // pending writes) over both; the upper one's change to a key wins, an erase hides the key.
  const Journal& j = journal();
  SqlCursor c(sql_->scan);
  c->bind(1, prefix);
  std::optional<std::pair<Bytes, Bytes>> row;
  auto next_row = [&] {
    row.reset();
    if (c->step()) {
      Bytes key = c->column_blob(0);
      if (has_prefix(key, prefix)) row.emplace(std::move(key), c->column_blob(1));
    }
  };
  next_row();
  const Bytes start(prefix.begin(), prefix.end());
  auto ji = j.changes.lower_bound(start);
  state_journal::Changes::const_iterator oi, oend;
  if (overlay != nullptr) {
    oi = overlay->lower_bound(start);
    oend = overlay->end();
  }
  for (;;) {
    const Bytes* least = nullptr;
    auto consider = [&](const Bytes& key) {
      if (has_prefix(key, prefix) && (least == nullptr || key < *least)) least = &key;
    };
    if (row) consider(row->first);
    if (ji != j.changes.end()) consider(ji->first);
    if (overlay != nullptr && oi != oend) consider(oi->first);
    if (least == nullptr) return;
    const Bytes key = *least;
    std::optional<Bytes> value;
    bool decided = false;
    if (overlay != nullptr && oi != oend && oi->first == key) {
      value = oi->second;
      decided = true;
      ++oi;
    }
    if (ji != j.changes.end() && ji->first == key) {
      if (!decided) value = ji->second;
      decided = true;
      ++ji;
    }
    if (row && row->first == key) {
      if (!decided) value = std::move(row->second);
      next_row();
    }
    if (value && !visit(key, *value)) return;
  }
}

Hash StateStore::stored_root() const {
  SqlCursor c(sql_->node_get);
  c->bind(1, std::int64_t{kStateTreeDepth}).bind(2, std::int64_t{0});
  if (!c->step()) return empty_state_subtree(kStateTreeDepth);
  return hash_from(c->column_blob(0), db_);
}

void StateStore::ensure_tree() const {
  const Hash stored = stored_root();
  if (tree_valid_ && tree_root_ == stored) return;
  tree_valid_ = false;  // until the rebuild below has succeeded
  tree_.assign(kStateTreeDepth + 1, {});
  for (int level = 0; level <= kStateTreeDepth; ++level) {
    tree_[static_cast<std::size_t>(level)].assign(std::size_t{1} << (kStateTreeDepth - level),
                                                  empty_state_subtree(level));
  }
  // The bucket hashes are not stored: each is the Merkle root of its entries' hashes, read in
  // one pass over the entries in bucket order, with the journal's changes merged into the
  // buckets it touches (their keys are read only for those).
  const Journal& j = journal();
  auto journal_next = j.by_bucket.begin();
  std::vector<std::uint32_t> changed;
  std::vector<Hash> hashes;
  const auto set_bucket = [&](std::uint32_t bucket, const BucketEntries& entries) {
    hashes.clear();
    for (const auto& entry : entries) hashes.push_back(entry.second);
    tree_[0][bucket] = merkle_root(hashes);
    changed.push_back(bucket);
  };
  // The buckets only the journal has, below `bucket`.
  const auto journal_only_below = [&](std::int64_t bucket) {
    for (; journal_next != j.by_bucket.end() && journal_next->first < bucket; ++journal_next)
      set_bucket(journal_next->first, with_journal(journal_next->first, {}));
  };
  {
    SqlCursor c(sql_->by_bucket);
    std::int64_t current = -1;
    bool in_journal = false;
    BucketEntries entries;  // the current bucket's: (key, hash), the key only when in_journal
    const auto close_bucket = [&] {
      if (current < 0) return;
      const auto bucket = static_cast<std::uint32_t>(current);
      if (in_journal) {
        set_bucket(bucket, with_journal(bucket, std::move(entries)));
        ++journal_next;
      } else {
        set_bucket(bucket, entries);
      }
      entries.clear();
    };
    while (c->step()) {
      const std::int64_t bucket = c->column_int(0);
      if (bucket < 0 || bucket >= std::int64_t{kStateBuckets}) {
        throw store::StoreError(db_.path().filename().string() +
                                ": a state entry names a bucket out of range; the file is damaged");
      }
      if (bucket != current) {
        close_bucket();
        if (bucket < current) {
          throw store::StoreError(db_.path().filename().string() +
                                  ": the state entries' bucket index is out of order; the file "
                                  "is damaged");
        }
        journal_only_below(bucket);
        current = bucket;
        in_journal = journal_next != j.by_bucket.end() &&
                     journal_next->first == static_cast<std::uint32_t>(bucket);
      }
      entries.emplace_back(in_journal ? c->column_blob(2) : Bytes{},
                           hash_from(c->column_blob(1), db_));
    }
    close_bucket();
  }
  journal_only_below(std::int64_t{kStateBuckets});
  // Only the nodes above non-empty buckets differ from the empty subtrees: a young chain's
  // tree costs a few hashes to rebuild, not 65 535.
  update_above(std::move(changed));
  tree_root_ = tree_[kStateTreeDepth][0];
  tree_valid_ = true;
  if (tree_root_ != stored) {
    tree_valid_ = false;
    throw store::StoreError(db_.path().filename().string() +
                            ": the stored state root does not match the state entries; "
                            "the file is damaged");
  }
}

void StateStore::update_above(std::vector<std::uint32_t> changed) const {
  // `changed` is sorted and without repeats, and so is each level's list of parents, which is
  // the children's list halved with neighbours merged, in place.
  for (std::size_t level = 1; level <= kStateTreeDepth; ++level) {
    std::size_t parents = 0;
    for (std::uint32_t index : changed) {
      const std::uint32_t p = index >> 1;
      if (parents == 0 || changed[parents - 1] != p) changed[parents++] = p;
    }
    changed.resize(parents);
    for (std::uint32_t p : changed) {
      tree_[level][p] = merkle_node_hash(tree_[level - 1][2 * p], tree_[level - 1][2 * p + 1]);
    }
  }
}

Hash StateStore::node(int level, std::uint32_t index) const {
  ensure_tree();
  return tree_[static_cast<std::size_t>(level)][index];
}

void StateStore::store_node(int level, std::uint32_t index, const Hash& hash) {
  // Buckets that are empty are not stored: the tree is rebuilt with the empty hash for them.
  if (hash == empty_state_subtree(level)) {
    SqlCursor c(sql_->node_erase);
    c->bind(1, std::int64_t{level}).bind(2, std::int64_t{index}).run();
  } else {
    SqlCursor c(sql_->node_put);
    c->bind(1, std::int64_t{level}).bind(2, std::int64_t{index}).bind(3, hash.bytes).run();
  }
}

StateStore::BucketEntries StateStore::bucket_entries(std::uint32_t bucket) const {
  BucketEntries stored;
  {
    SqlCursor c(sql_->bucket);
    c->bind(1, std::int64_t{bucket});
    while (c->step()) stored.emplace_back(c->column_blob(0), hash_from(c->column_blob(1), db_));
  }
  return with_journal(bucket, std::move(stored));
}

StateStore::BucketEntries StateStore::with_journal(std::uint32_t bucket,
                                                   BucketEntries stored) const {
  const Journal& j = journal();
  const auto changed = j.by_bucket.find(bucket);
  if (changed == j.by_bucket.end()) return stored;
  // Both in key order: the journal's changes merged into the stored entries.
  BucketEntries entries;
  entries.reserve(stored.size() + changed->second.size());
  std::size_t s = 0;
  for (const Journal::Change* change : changed->second) {
    const Bytes& key = change->first;
    while (s < stored.size() && stored[s].first < key) entries.push_back(std::move(stored[s++]));
    if (s < stored.size() && stored[s].first == key) ++s;
    if (change->second) entries.emplace_back(key, state_entry_hash(key, *change->second));
  }
  while (s < stored.size()) entries.push_back(std::move(stored[s++]));
  return entries;
}

const StateStore::Journal& StateStore::journal() const {
  if (journal_) return *journal_;
  Journal j;
  SqlCursor c(sql_->journal_rows);
  while (c->step()) {
    const Bytes row = c->column_blob(1);
    try {
      state_journal::Changes changes;
      state_journal::decode_into(row, changes);
      j.add(changes);
    } catch (const std::runtime_error& e) {
      throw store::StoreError(db_.path().filename().string() + ": state journal row " +
                              std::to_string(c->column_int(0)) + " is damaged (" + e.what() + ")");
    }
    ++j.rows;
    j.bytes += row.size();
  }
  journal_ = std::make_unique<Journal>(std::move(j));
  return *journal_;
}

void StateStore::write_journal_into_table() {
  for (const auto& [key, value] : journal().changes) {
    if (value) {
      const Hash hash = state_entry_hash(key, *value);
      bool written = false;
      {
        SqlCursor c(sql_->update);
        c->bind(1, key).bind(2, *value).bind(3, hash.bytes).run();
        written = db_.changes() == 1;
      }
      if (!written) {
        SqlCursor c(sql_->upsert);
        c->bind(1, key)
            .bind(2, std::int64_t{state_bucket(key)})
            .bind(3, *value)
            .bind(4, hash.bytes)
            .run();
      }
    } else {
      SqlCursor c(sql_->erase);
      c->bind(1, key).run();
    }
  }
  SqlCursor(sql_->journal_clear)->run();
}

void StateStore::compact() {
  if (journal().rows == 0) return;
  try {
    with_savepoint(db_, "state_compact", [&] { write_journal_into_table(); });
  } catch (...) {
    journal_.reset();
    throw;
  }
  journal_ = std::make_unique<Journal>();
}

const StateStore::BucketEntries& StateStore::cached_bucket(std::uint32_t bucket) const {
  if (auto it = buckets_.find(bucket); it != buckets_.end()) return it->second;
  BucketEntries entries = bucket_entries(bucket);
  if (bucket_entries_cached_ + entries.size() > kMaxCachedBucketEntries) {
    buckets_.clear();
    bucket_entries_cached_ = 0;
  }
  bucket_entries_cached_ += entries.size();
  return buckets_.emplace(bucket, std::move(entries)).first->second;
}

void StateStore::forget_cache() const {
  values_.clear();
  buckets_.clear();
  bucket_entries_cached_ = 0;
}

Hash StateStore::flush() {
  if (pending_.empty()) return root();
  ensure_tree();
  journal();  // read before this flush's row is added to the table
  // Each changed bucket's entries after the flush: the current ones with the pending writes
  // merged in, so that rehashing a bucket reads nothing back from the tables.
  std::map<std::uint32_t, BucketEntries> changed_buckets;
  bool compacted = false;
  std::vector<std::uint32_t> pending_buckets;  // each pending key's, in key order
  pending_buckets.reserve(pending_.size());
  try {
    with_savepoint(db_, "state_flush", [&] {
      for (const auto& [key, value] : pending_) {
        const std::uint32_t bucket = state_bucket(key);
        pending_buckets.push_back(bucket);
        auto [it, fresh] = changed_buckets.try_emplace(bucket);
        // Copied before any of the bucket's keys is changed (pending_ is in key order, and a
        // bucket is first met at its first key).
        if (fresh) it->second = cached_bucket(bucket);
        BucketEntries& entries = it->second;
        auto at = std::lower_bound(
            entries.begin(), entries.end(), key,
            [](const std::pair<Bytes, Hash>& entry, const Bytes& k) { return entry.first < k; });
        const bool present = at != entries.end() && at->first == key;
        if (value) {
          const Hash hash = state_entry_hash(key, *value);
          if (present)
            at->second = hash;
          else
            entries.emplace(at, key, hash);
        } else if (present) {
          entries.erase(at);
        }
      }
      // The block's changes go to the file as one journal row; the table takes them later.
      const Bytes row = state_journal::encode(pending_);
      SqlCursor(sql_->journal_add)->bind(1, row).run();
      // The changed buckets and the nodes above them are recomputed in memory, level by level,
      // each once; only the new root is stored (the rest is derived from the entries). Until
      // that succeeds the in-memory tree is not trusted, so a failure half-way leaves it to be
      // rebuilt from the tables.
      tree_valid_ = false;
      std::vector<std::uint32_t> changed;  // in order: changed_buckets is a std::map
      changed.reserve(changed_buckets.size());
      std::vector<Hash> hashes;
      for (const auto& [bucket, entries] : changed_buckets) {
        hashes.clear();
        for (const auto& entry : entries) hashes.push_back(entry.second);
        tree_[0][bucket] = merkle_root(hashes);
        changed.push_back(bucket);
      }
      update_above(std::move(changed));
      store_node(kStateTreeDepth, 0, tree_[kStateTreeDepth][0]);
      Journal& j = *journal_;
      j.add(pending_, pending_buckets);
      ++j.rows;
      j.bytes += row.size();
      if (j.bytes >= kStateJournalBytes || j.rows >= kStateJournalRows) {
        write_journal_into_table();
        compacted = true;
      }
      tree_root_ = tree_[kStateTreeDepth][0];
      tree_valid_ = true;
    });
  } catch (...) {
    // The journal in memory may hold what the savepoint undid: read it again when next needed.
    journal_.reset();
    tree_valid_ = false;
    throw;
  }
  if (compacted) journal_ = std::make_unique<Journal>();
  // Written: the caches take the new state (discard() drops it if the block rolls back).
  for (auto& [key, value] : pending_) {
    if (values_.size() >= kMaxCachedValues) values_.clear();
    values_.insert_or_assign(key, std::move(value));
  }
  for (auto& [bucket, entries] : changed_buckets) {
    if (auto it = buckets_.find(bucket); it != buckets_.end()) {
      bucket_entries_cached_ -= it->second.size();
      buckets_.erase(it);
    }
    if (bucket_entries_cached_ + entries.size() > kMaxCachedBucketEntries) {
      buckets_.clear();
      bucket_entries_cached_ = 0;
    }
    bucket_entries_cached_ += entries.size();
    buckets_.emplace(bucket, std::move(entries));
  }
  pending_.clear();
  return tree_root_;
}

void StateStore::discard() {
  pending_.clear();
  forget_cache();
  journal_.reset();
}

Hash StateStore::root() const {
  // From the table, not the cache: after a rolled-back block the table is the truth.
  return stored_root();
}

StateProof StateStore::prove(std::span<const std::uint8_t> key) const {
  check_key(key);
  StateProof proof;
  proof.key.assign(key.begin(), key.end());
  const std::uint32_t bucket = state_bucket(key);
  proof.bucket_hash = node(0, bucket);
  const auto entries = bucket_entries(bucket);
  std::vector<Hash> hashes;
  for (const auto& entry : entries) hashes.push_back(entry.second);
  auto add = [&](std::size_t i) {
    auto value = get_flushed(entries[i].first);
    proof.entries.push_back({entries[i].first, value.value_or(Bytes{}), merkle_prove(hashes, i)});
  };
  const auto it = std::lower_bound(
      entries.begin(), entries.end(), proof.key,
      [](const std::pair<Bytes, Hash>& entry, const Bytes& k) { return entry.first < k; });
  const auto i = static_cast<std::size_t>(it - entries.begin());
  if (it != entries.end() && it->first == proof.key) {
    add(i);
  } else {
    if (i > 0) add(i - 1);
    if (i < entries.size()) add(i);
  }
  for (int level = 0; level < kStateTreeDepth; ++level) {
    proof.siblings.push_back(node(level, (bucket >> level) ^ 1u));
  }
  return proof;
}

}  // namespace pilemesh::ledger
