#include "pilemesh/gateway/pile_search.hpp"

#include <algorithm>

#include "pilemesh/ledger/pricing.hpp"

namespace pilemesh::gateway {
namespace {

bool has_connector(const ledger::PileSpec& spec, std::optional<ledger::ConnectorType> type,
                   std::uint32_t min_power_w) {
  return std::any_of(spec.connectors.begin(), spec.connectors.end(), [&](const auto& c) {
    return (!type || c.type == *type) && c.max_power_w >= min_power_w;
  });
}

bool overlaps(const ledger::PileSlots& slots, std::int64_t from, std::int64_t to) {
  return std::any_of(slots.slots.begin(), slots.slots.end(),
                     [&](const auto& s) { return from < s.end_ms && s.start_ms < to; });
}

// From `now`, the end of the run of back-to-back slots that holds the pile.
std::int64_t free_at(const ledger::PileSlots& slots, std::int64_t now) {
  std::int64_t at = now;
  for (const auto& s : slots.slots) {  // sorted by start
    if (s.start_ms <= at && at < s.end_ms) at = s.end_ms;
  }
  return at;
}

}  // namespace

std::vector<PileHit> search_piles(const ServiceDirectory& directory, const PileQuery& q,
                                  std::int64_t now_ms, std::int32_t utc_offset_minutes) {
  std::vector<PileHit> hits;
  const std::int64_t from = q.from_ms.value_or(now_ms);
  const std::int64_t to = q.to_ms.value_or(from + 3'600'000);
  for (const auto& [id, pile] : directory.piles()) {
    const ledger::PileInfo& info = pile.info;
    if (info.status != ledger::MemberStatus::kVerified || !info.has_tariff) continue;
    if (!has_connector(info.spec, q.connector, q.min_power_w)) continue;
    if (q.max_price_per_kwh && info.tariff.price_per_kwh > *q.max_price_per_kwh) continue;
    if (q.min_score && info.score < *q.min_score) continue;
    if (q.from_ms && (!ledger::slot_available(info.spec, from, to, utc_offset_minutes) ||
                      overlaps(pile.slots, from, to)))
      continue;
    PileHit hit;
    hit.pile = &pile;
    if (q.near && pile.point) hit.distance_m = distance_m(*q.near, *pile.point);
    if (q.max_distance_m && (!hit.distance_m || *hit.distance_m > *q.max_distance_m)) continue;
    hit.estimate = ledger::booking_deposit(info.tariff, info.spec, from, to);
    hit.wait_ms = free_at(pile.slots, now_ms) - now_ms;
    hits.push_back(hit);
  }
  if (q.near) {
    std::stable_sort(hits.begin(), hits.end(), [](const PileHit& a, const PileHit& b) {
      if (a.distance_m.has_value() != b.distance_m.has_value()) return a.distance_m.has_value();
      return a.distance_m.value_or(0) < b.distance_m.value_or(0);
    });
  }
  if (hits.size() > q.limit) hits.resize(q.limit);
  return hits;
}

}  // namespace pilemesh::gateway
