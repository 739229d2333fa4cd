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

// A point as the unit vector from the Earth's centre. The squared chord between two of them
// grows with their great-circle distance, so a search ranks a thousand piles with a few
// multiplications each and no trigonometry (a pile's vector is computed once, when it is read).
struct GeoVector {
  double x = 0, y = 0, z = 0;
};

GeoVector to_vector(const GeoPoint& p);

// |a - b|², for unit vectors in [0, 4].
double chord_squared(const GeoVector& a, const GeoVector& b);

// The great-circle distance in metres that a squared chord stands for, and back (beyond half
// the Earth's circumference: 4, the diameter squared).
double chord_distance_m(double chord_squared);
double distance_chord_squared(double metres);

}  // namespace pilemesh::gateway
