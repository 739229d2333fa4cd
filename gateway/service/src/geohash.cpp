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

double distance_m(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kEarthRadiusM = 6'371'000;
  constexpr double kRad = 3.14159265358979323846 / 180;
  const double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::sqrt(std::min(1.0, h)));
}

}  // namespace pilemesh::gateway
