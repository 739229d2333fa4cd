// The sharing service's read model: every pile, booking and rating of the ledger's committed
// state, and which members wait for verification, indexed in memory for search, member pages,
// the admins' queue and analytics. Loaded from the state once, then refreshed after each block
// for exactly what the block's transactions touched — reads never go through the ledger's
// tables per request.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pilemesh/gateway/geohash.hpp"
#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/service_records.hpp"
#include "pilemesh/ledger/service_state.hpp"
#include "pilemesh/ledger/state_store.hpp"

namespace pilemesh::gateway {

struct PileView {
  std::string id;
  ledger::PileRecord record;
  ledger::PileInfo info;
  ledger::PileSlots slots;
  std::optional<GeoPoint> point;  // centre of its geohash cell
  GeoVector position;             // the point as a vector, for ranking by distance
};

struct RatingView {
  ledger::Hash id;
  ledger::RatingRecord record;
};

class ServiceDirectory {
 public:
  // Loads everything from the committed state.
  explicit ServiceDirectory(const ledger::StateStore& state);

  // Re-reads what the block's transactions (with their hashes) name: piles, bookings, ratings,
  // members.
  void refresh(const std::vector<ledger::Transaction>& txs,
               const std::vector<ledger::Hash>& hashes);

  const std::map<std::string, PileView>& piles() const { return piles_; }
  const PileView* pile(const std::string& id) const;
  const std::map<ledger::Hash, ledger::BookingRecord>& bookings() const { return bookings_; }
  const ledger::BookingRecord* booking(const ledger::Hash& id) const;
  std::vector<std::pair<ledger::Hash, const ledger::BookingRecord*>> bookings_of_member(
      const ledger::PublicKey& member) const;
  std::vector<std::pair<ledger::Hash, const ledger::BookingRecord*>> bookings_of_pile(
      const std::string& pile_id) const;
  std::vector<const RatingView*> ratings_of_pile(const std::string& pile_id) const;
  // The mean of the pile's ratings (1–3) in thousandths, rounded down; nothing when unrated.
  std::optional<std::uint32_t> rating_average_milli(const std::string& pile_id) const;
  const std::map<ledger::Hash, ledger::TopUpRecord>& topups() const { return topups_; }
  std::vector<std::pair<ledger::Hash, const ledger::TopUpRecord*>> topups_of_member(
      const ledger::PublicKey& member) const;
  // A member's record, read from the committed state (members are not kept in the model).
  std::optional<ledger::MemberRecord> member(const ledger::PublicKey& key) const;
  // The members still waiting for attestation (status pending), oldest first: the admins'
  // queue. Only their keys are kept; the records are read from the committed state.
  std::vector<std::pair<ledger::PublicKey, ledger::MemberRecord>> pending_members() const;

 private:
  void load_pile(const std::string& id);
  void load_booking(const ledger::Hash& id);
  void load_rating(const ledger::Hash& id);
  void load_topup(const ledger::Hash& id);
  void load_member(const ledger::PublicKey& key);

  const ledger::StateStore& state_;
  std::map<std::string, PileView> piles_;
  std::map<ledger::Hash, ledger::BookingRecord> bookings_;
  std::map<ledger::Hash, RatingView> ratings_;
  std::multimap<ledger::PublicKey, ledger::Hash> by_member_;
  std::multimap<std::string, ledger::Hash> by_pile_;
  std::multimap<std::string, ledger::Hash> ratings_by_pile_;
  std::map<ledger::Hash, ledger::TopUpRecord> topups_;
  std::multimap<ledger::PublicKey, ledger::Hash> topups_by_member_;
  std::set<ledger::PublicKey> pending_members_;
};

}  // namespace pilemesh::gateway
