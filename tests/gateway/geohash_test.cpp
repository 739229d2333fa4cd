// Geohash cells to points, and great-circle distances as search ranks by them: through unit
// vectors and their chords, checked against the haversine formula written out here.
#include "pilemesh/gateway/geohash.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pilemesh::gateway {
namespace {

double haversine_m(GeoPoint a, GeoPoint b) {
  const double rad = std::acos(-1.0) / 180, dlat = (b.lat - a.lat) * rad,
               dlon = (b.lon - a.lon) * rad;
  const double h = std::pow(std::sin(dlat / 2), 2) +
                   std::cos(a.lat * rad) * std::cos(b.lat * rad) * std::pow(std::sin(dlon / 2), 2);
  return 2 * 6'371'000 * std::asin(std::sqrt(h));
}

TEST(Geohash, CellCentres) {
  // The geohash specification's example: "ezs42" is the cell around 42.605, -5.603.
  const auto c = geohash_center("ezs42");
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->lat, 42.60498046875);
  EXPECT_DOUBLE_EQ(c->lon, -5.60302734375);
  EXPECT_FALSE(geohash_center(""));
  EXPECT_FALSE(geohash_center("u33a"));  // 'a' is not in the alphabet
}

TEST(Geohash, DistancesAgreeWithTheHaversine) {
  const GeoPoint paris{48.8566, 2.3522}, berlin{52.52, 13.405};
  EXPECT_NEAR(distance_m(paris, berlin), haversine_m(paris, berlin), 0.01);
  EXPECT_NEAR(distance_m(paris, berlin), 877'500, 1'000);
  // A metre apart (1e-5 degrees of latitude is 1.11 m) keeps centimetre precision.
  const GeoPoint near{52.52001, 13.405};
  EXPECT_NEAR(distance_m(berlin, near), 1.112, 0.01);
  EXPECT_EQ(distance_m(berlin, berlin), 0);
  // The antipode is half the circumference.
  EXPECT_NEAR(distance_m({0, 0}, {0, 180}), std::acos(-1.0) * 6'371'000, 1);
}

TEST(Geohash, ChordsRankLikeDistancesAndConvertBack) {
  const GeoVector centre = to_vector({52.52, 13.405});
  double last = -1;
  for (double km : {0.0, 0.5, 1.0, 5.0, 50.0, 500.0}) {
    const GeoPoint p{52.52 + km / 111.2, 13.405};
    const double c = chord_squared(centre, to_vector(p));
    EXPECT_GT(c, last);
    last = c;
    EXPECT_NEAR(chord_distance_m(c), distance_m({52.52, 13.405}, p), 1e-6);
    EXPECT_NEAR(distance_chord_squared(chord_distance_m(c)), c, 1e-15);
  }
  EXPECT_DOUBLE_EQ(distance_chord_squared(1e12), 4);  // beyond the antipode: the diameter
}

}  // namespace
}  // namespace pilemesh::gateway
