// Search and discovery (ITU clause 10.3): the piles a neighbour can book, filtered by connector,
// power, a free time window, price and rating, sorted by distance from where they stand, each
// with a price estimate and the wait until it is free.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "pilemesh/gateway/service_directory.hpp"

namespace pilemesh::gateway {

struct PileQuery {
  std::optional<GeoPoint> near;  // none: sorted by id
  std::optional<double> max_distance_m;
  std::optional<ledger::ConnectorType> connector;
  std::uint32_t min_power_w = 0;
  std::optional<std::int64_t> from_ms, to_ms;  // a window the pile must be free for
  std::optional<std::uint64_t> max_price_per_kwh;
  std::optional<std::int64_t> min_score;  // R_cp, fixed point
  // The least mean of the pile's 1–3 ratings, in thousandths; an unrated pile does not match.
  std::optional<std::uint32_t> min_rating_milli;
  std::size_t limit = 50;
};

struct PileHit {
  const PileView* pile = nullptr;
  std::optional<double> distance_m;
  std::optional<std::uint64_t> estimate;  // the deposit for the window (or one hour from now)
  std::int64_t wait_ms = 0;               // until the pile is free, from now
};

// Only verified piles with a tariff are offered. `now_ms` is the clock the wait counts from.
std::vector<PileHit> search_piles(const ServiceDirectory& directory, const PileQuery& query,
                                  std::int64_t now_ms, std::int32_t utc_offset_minutes);

}  // namespace pilemesh::gateway
