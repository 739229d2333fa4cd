#include "pilemesh/gateway/pile_search.hpp"

#include <algorithm>
#include <limits>

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
  const std::int64_t from = q.from_ms.value_or(now_ms);
  const std::int64_t to = q.to_ms.value_or(from + 3'600'000);
  const std::optional<GeoVector> centre = q.near ? std::optional(to_vector(*q.near)) : std::nullopt;
  const double max_chord_squared = q.max_distance_m ? distance_chord_squared(*q.max_distance_m)
                                                    : std::numeric_limits<double>::infinity();

  // Every pile that matches, ranked by its squared chord to the centre (no trigonometry);
  // the costlier figures are computed below only for the piles returned.
  struct Candidate {
    const PileView* pile;
    double rank;  // 0 without a centre; infinity for a pile without a location
  };
  std::vector<Candidate> found;
  found.reserve(directory.piles().size());
  for (const auto& [id, pile] : directory.piles()) {
    const ledger::PileInfo& info = pile.info;
    if (info.status != ledger::MemberStatus::kVerified || !info.has_tariff) continue;
    if (!has_connector(info.spec, q.connector, q.min_power_w)) continue;
    if (q.max_price_per_kwh && info.tariff.price_per_kwh > *q.max_price_per_kwh) continue;
    if (q.min_score && info.score < *q.min_score) continue;
    if (q.min_rating_milli) {
      const auto average = directory.rating_average_milli(id);
      if (!average || *average < *q.min_rating_milli) continue;
    }
    if (q.from_ms && (!ledger::slot_available(info.spec, from, to, utc_offset_minutes) ||
                      overlaps(pile.slots, from, to)))
      continue;
    double rank = 0;
    if (centre)
      rank = pile.point ? chord_squared(*centre, pile.position)
                        : std::numeric_limits<double>::infinity();
    if (q.max_distance_m && (!pile.point || !centre || rank > max_chord_squared)) continue;
    found.push_back({&pile, rank});
  }
  // Nearest first; equal distances, and every pile of a search without a centre, in id order
  // (the directory's order).
  const std::size_t kept = std::min(q.limit, found.size());
  if (centre) {
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(kept), found.end(),
                      [](const Candidate& a, const Candidate& b) {
                        if (a.rank != b.rank) return a.rank < b.rank;
                        return a.pile->id < b.pile->id;
                      });
  }
  found.resize(kept);

  std::vector<PileHit> hits;
  hits.reserve(kept);
  for (const Candidate& c : found) {
    PileHit hit;
    hit.pile = c.pile;
    if (centre && c.pile->point) hit.distance_m = chord_distance_m(c.rank);
    hit.estimate = ledger::booking_deposit(c.pile->info.tariff, c.pile->info.spec, from, to);
    hit.wait_ms = free_at(c.pile->slots, now_ms) - now_ms;
    hits.push_back(hit);
  }
  return hits;
}

}  // namespace pilemesh::gateway
