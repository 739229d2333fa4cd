#include "pilemesh/gateway/geohash.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace pilemesh::gateway {

std::optional<GeoPoint> geohash_center(std::string_view hash) {
  static constexpr std::string_view kAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
  if (hash.empty()) return std::nullopt;
  double lat[2] = {-90, 90}, lon[2] = {-180, 180};
  bool even = true;  // bits alternate, longitude first
  for (char c : hash) {
    const auto v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    for (int bit = 4; bit >= 0; --bit) {
      double* range = even ? lon : lat;
      const double mid = (range[0] + range[1]) / 2;
      if ((v >> bit) & 1u)
        range[0] = mid;
      else
        range[1] = mid;
      even = !even;
    }
  }
  return GeoPoint{(lat[0] + lat[1]) / 2, (lon[0] + lon[1]) / 2};
}

namespace {
constexpr double kEarthRadiusM = 6'371'000;
constexpr double kRad = 3.14159265358979323846 / 180;
}  // namespace

double distance_m(const GeoPoint& a, const GeoPoint& b) {
  return chord_distance_m(chord_squared(to_vector(a), to_vector(b)));
}

GeoVector to_vector(const GeoPoint& p) {
  const double lat = p.lat * kRad, lon = p.lon * kRad;
  return {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
}

double chord_squared(const GeoVector& a, const GeoVector& b) {
  const double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
  return dx * dx + dy * dy + dz * dz;
}

double chord_distance_m(double chord_squared) {
  // The chord c spans the angle 2·asin(c/2); differences of unit vectors keep metre precision
  // where the haversine's 1 - cos would not.
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(std::max(0.0, chord_squared)) / 2));
}

double distance_chord_squared(double metres) {
  constexpr double kQuarterTurn = 90 * kRad;
  const double c = 2 * std::sin(std::clamp(metres / (2 * kEarthRadiusM), 0.0, kQuarterTurn));
  return c * c;
}

}  // namespace pilemesh::gateway
