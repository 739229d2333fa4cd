#include "pilemesh/gateway/service_directory.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "pilemesh/ledger/committed_state.hpp"
#include "pilemesh/ledger/ledger_json.hpp"

namespace pilemesh::gateway {
namespace {

std::span<const std::uint8_t> text(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

template <class Fn>
void each_key(const ledger::StateStore& state, std::string_view prefix, Fn fn) {
  for (const auto& [key, value] : state.scan_prefix(text(prefix), SIZE_MAX))
    fn(std::span<const std::uint8_t>(key).subspan(prefix.size()));
}

ledger::Hash hash_from(std::span<const std::uint8_t> bytes) {
  ledger::Hash h;
  if (bytes.size() == h.bytes.size()) std::copy(bytes.begin(), bytes.end(), h.bytes.begin());
  return h;
}

ledger::PublicKey key_from(std::span<const std::uint8_t> bytes) {
  ledger::PublicKey k;
  if (bytes.size() == k.bytes.size()) std::copy(bytes.begin(), bytes.end(), k.bytes.begin());
  return k;
}

// The members whose status a transaction may change: its signer (register_member, and the new
// key of recover_account), and the member an attest, reject or suspend names, or the old key
// a recovery moves away from.
std::vector<ledger::PublicKey> members_named(const ledger::Transaction& tx,
                                             const nlohmann::json& payload) {
  std::vector<ledger::PublicKey> keys{tx.signer};
  for (const char* field : {"member", "old_key"}) {
    if (payload.contains(field) && payload[field].is_string()) {
      if (auto k = ledger::PublicKey::from_hex(payload[field].get<std::string>()))
        keys.push_back(*k);
    }
  }
  return keys;
}

}  // namespace

ServiceDirectory::ServiceDirectory(const ledger::StateStore& state) : state_(state) {
  each_key(state_, "pileinfo/", [&](auto id) { load_pile(std::string(id.begin(), id.end())); });
  each_key(state_, "booking/", [&](auto id) { load_booking(hash_from(id)); });
  each_key(state_, "rating/", [&](auto id) { load_rating(hash_from(id)); });
  each_key(state_, "topup/", [&](auto id) { load_topup(hash_from(id)); });
  each_key(state_, "member/", [&](auto key) { load_member(key_from(key)); });
}

void ServiceDirectory::load_member(const ledger::PublicKey& key) {
  const auto m = member(key);
  if (m && m->status == ledger::MemberStatus::kPending)
    pending_members_.insert(key);
  else
    pending_members_.erase(key);
}

std::vector<std::pair<ledger::PublicKey, ledger::MemberRecord>> ServiceDirectory::pending_members()
    const {
  std::vector<std::pair<ledger::PublicKey, ledger::MemberRecord>> out;
  for (const auto& key : pending_members_) {
    if (auto m = member(key)) out.emplace_back(key, std::move(*m));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second.joined_ms < b.second.joined_ms;
  });
  return out;
}

void ServiceDirectory::load_topup(const ledger::Hash& id) {
  const ledger::CommittedState view(state_);
  auto t = ledger::ServiceReader(view).topup(id);
  if (!t) return;
  auto [it, fresh] = topups_.insert_or_assign(id, *t);
  if (fresh) topups_by_member_.emplace(t->member, id);
}

std::vector<std::pair<ledger::Hash, const ledger::TopUpRecord*>> ServiceDirectory::topups_of_member(
    const ledger::PublicKey& member) const {
  std::vector<std::pair<ledger::Hash, const ledger::TopUpRecord*>> out;
  for (auto [it, end] = topups_by_member_.equal_range(member); it != end; ++it)
    out.emplace_back(it->second, &topups_.at(it->second));
  return out;
}

void ServiceDirectory::load_pile(const std::string& id) {
  const ledger::CommittedState view(state_);
  const ledger::ServiceReader read(view);
  auto record = read.pile(id);
  auto info = read.pile_info(id);
  if (!record || !info) {
    piles_.erase(id);
    return;
  }
  PileView& v = piles_[id];
  v.id = id;
  v.record = *record;
  v.point = geohash_center(info->spec.geohash);
  if (v.point) v.position = to_vector(*v.point);
  v.info = std::move(*info);
  v.slots = read.pile_slots(id);
}

void ServiceDirectory::load_booking(const ledger::Hash& id) {
  const ledger::CommittedState view(state_);
  auto b = ledger::ServiceReader(view).booking(id);
  if (!b) return;
  const bool fresh = bookings_.count(id) == 0;
  if (fresh) {
    by_member_.emplace(b->member, id);
    by_pile_.emplace(b->pile_id, id);
  }
  bookings_[id] = std::move(*b);
}

void ServiceDirectory::load_rating(const ledger::Hash& id) {
  const ledger::CommittedState view(state_);
  auto r = ledger::ServiceReader(view).rating(id);
  if (!r) return;
  if (ratings_.count(id) == 0) ratings_by_pile_.emplace(r->pile_id, id);
  ratings_[id] = {id, std::move(*r)};
}

void ServiceDirectory::refresh(const std::vector<ledger::Transaction>& txs,
                               const std::vector<ledger::Hash>& hashes) {
  std::set<std::string> piles;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    // The JSON form of a payload names what it touches: a pile, a booking, a rating.
    const nlohmann::json payload = ledger::payload_to_json(txs[i]);
    for (const auto& key : members_named(txs[i], payload)) load_member(key);
    if (payload.contains("pile_id") && payload["pile_id"].is_string())
      piles.insert(payload["pile_id"].get<std::string>());
    std::optional<ledger::Hash> booking;
    if (txs[i].type == ledger::TxType::kBook) booking = hashes[i];
    if (payload.contains("booking") && payload["booking"].is_string())
      booking = ledger::Hash::from_hex(payload["booking"].get<std::string>());
    if (booking) {
      load_booking(*booking);
      if (auto* b = this->booking(*booking)) piles.insert(b->pile_id);
    }
    if (txs[i].type == ledger::TxType::kRateSession) load_rating(hashes[i]);
    if (txs[i].type == ledger::TxType::kRequestTopUp) load_topup(hashes[i]);
    if (txs[i].type == ledger::TxType::kConfirmTopUp && payload.contains("request") &&
        payload["request"].is_string()) {
      if (auto t = ledger::Hash::from_hex(payload["request"].get<std::string>())) load_topup(*t);
    }
    if (payload.contains("rating") && payload["rating"].is_string()) {
      if (auto r = ledger::Hash::from_hex(payload["rating"].get<std::string>())) load_rating(*r);
    }
  }
  // A retired pile refunds its bookings: re-read them too.
  for (const std::string& id : piles) {
    load_pile(id);
    for (auto [it, end] = by_pile_.equal_range(id); it != end; ++it) load_booking(it->second);
  }
}

std::optional<ledger::MemberRecord> ServiceDirectory::member(const ledger::PublicKey& key) const {
  const ledger::CommittedState view(state_);
  return ledger::ServiceReader(view).member(key);
}

const PileView* ServiceDirectory::pile(const std::string& id) const {
  auto it = piles_.find(id);
  return it == piles_.end() ? nullptr : &it->second;
}

const ledger::BookingRecord* ServiceDirectory::booking(const ledger::Hash& id) const {
  auto it = bookings_.find(id);
  return it == bookings_.end() ? nullptr : &it->second;
}

std::vector<std::pair<ledger::Hash, const ledger::BookingRecord*>>
ServiceDirectory::bookings_of_member(const ledger::PublicKey& member) const {
  std::vector<std::pair<ledger::Hash, const ledger::BookingRecord*>> out;
  for (auto [it, end] = by_member_.equal_range(member); it != end; ++it)
    out.emplace_back(it->second, booking(it->second));
  return out;
}

std::vector<std::pair<ledger::Hash, const ledger::BookingRecord*>>
ServiceDirectory::bookings_of_pile(const std::string& pile_id) const {
  std::vector<std::pair<ledger::Hash, const ledger::BookingRecord*>> out;
  for (auto [it, end] = by_pile_.equal_range(pile_id); it != end; ++it)
    out.emplace_back(it->second, booking(it->second));
  return out;
}

std::optional<std::uint32_t> ServiceDirectory::rating_average_milli(
    const std::string& pile_id) const {
  std::uint64_t sum = 0, count = 0;
  for (auto [it, end] = ratings_by_pile_.equal_range(pile_id); it != end; ++it) {
    sum += ratings_.at(it->second).record.score;
    ++count;
  }
  if (count == 0) return std::nullopt;
  return static_cast<std::uint32_t>(sum * 1000 / count);
}

std::vector<const RatingView*> ServiceDirectory::ratings_of_pile(const std::string& pile_id) const {
  std::vector<const RatingView*> out;
  for (auto [it, end] = ratings_by_pile_.equal_range(pile_id); it != end; ++it)
    out.push_back(&ratings_.at(it->second));
  std::sort(out.begin(), out.end(), [](const RatingView* a, const RatingView* b) {
    return a->record.rated_ms > b->record.rated_ms;
  });
  return out;
}

}  // namespace pilemesh::gateway
