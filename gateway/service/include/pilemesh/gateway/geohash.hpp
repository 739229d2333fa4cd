// Geohash cells (the coarse public location of a pile) to the point at their centre, and the
// distance between two points: what search sorts by. Off the ledger, so floating point is fine.
#pragma once

#include <optional>
#include <string_view>

namespace pilemesh::gateway {

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

// The centre of the cell; nothing for a string outside the geohash alphabet.
std::optional<GeoPoint> geohash_center(std::string_view hash);

// Great-circle distance in metres.
double distance_m(const GeoPoint& a, const GeoPoint& b);

}  // namespace pilemesh::gateway
