// Prices and calendars of the service (pricing.hpp): local weekdays, availability across
// midnight, time-of-use prices, deposits, session costs with rounding, and overflow.
#include "pilemesh/ledger/pricing.hpp"

#include <gtest/gtest.h>

namespace pilemesh::ledger {
namespace {

constexpr std::int64_t kMonday = 1'795'392'000'000;  // 2026-11-23 00:00 UTC
constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

TEST(Pricing, LocalTimeFollowsTheNeighbourhoodsOffset) {
  EXPECT_EQ(local_time(kMonday, 0).weekday, 0);
  EXPECT_EQ(local_time(kMonday + 90 * kMinute, 0).minute, 90);
  EXPECT_EQ(local_time(kMonday - kMinute, 0).weekday, 6);  // Sunday 23:59
  EXPECT_EQ(local_time(kMonday - kMinute, 0).minute, 1439);
  EXPECT_EQ(local_time(kMonday - 30 * kMinute, 60).weekday, 0);  // 00:30 on Monday at UTC+1
  EXPECT_EQ(local_time(kMonday - 30 * kMinute, 60).minute, 30);
  EXPECT_EQ(local_time(0, 0).weekday, 3);  // 1970-01-01 was a Thursday
}

TEST(Pricing, AvailabilityAcrossMidnightNeedsBothDays) {
  PileSpec spec;
  spec.availability = {{0x01, 20 * 60, 1440}};  // Monday 20:00-24:00
  EXPECT_TRUE(slot_available(spec, kMonday + 21 * kHour, kMonday + 24 * kHour, 0));
  EXPECT_FALSE(slot_available(spec, kMonday + 23 * kHour, kMonday + 25 * kHour, 0));
  spec.availability.push_back({0x02, 0, 6 * 60});  // Tuesday 00:00-06:00
  EXPECT_TRUE(slot_available(spec, kMonday + 23 * kHour, kMonday + 25 * kHour, 0));
  EXPECT_FALSE(slot_available(spec, kMonday + 19 * kHour, kMonday + 21 * kHour, 0));
  spec.closures = {{kMonday + 24 * kHour, kMonday + 24 * kHour + kMinute}};
  EXPECT_FALSE(slot_available(spec, kMonday + 23 * kHour, kMonday + 25 * kHour, 0));
  // At UTC+1, 20:00 local on Monday is 19:00 UTC.
  spec.closures.clear();
  EXPECT_TRUE(slot_available(spec, kMonday + 19 * kHour, kMonday + 20 * kHour, 60));
}

TEST(Pricing, TimeOfUsePriceAppliesInsideItsWindow) {
  Tariff t;
  t.price_per_kwh = 30;
  t.time_of_use = {{{0x1f, 17 * 60, 20 * 60}, 45}};  // weekday evenings
  EXPECT_EQ(energy_price_at(t, kMonday + 18 * kHour, 0), 45u);
  EXPECT_EQ(energy_price_at(t, kMonday + 12 * kHour, 0), 30u);
  EXPECT_EQ(energy_price_at(t, kMonday + 5 * kDay + 18 * kHour, 0), 30u);  // Saturday
}

TEST(Pricing, DepositCoversTheMostTheSlotCanCost) {
  Tariff t;
  t.price_per_kwh = 30;
  t.price_per_minute = 2;
  t.booking_fee = 50;
  t.time_of_use = {{{0x7f, 0, 60}, 40}};
  const PileSpec spec = always_available_spec("u33dc1", 7'400);
  // 7.4 kW for 30 minutes is 3.7 kWh at the top price 0.40 = 1.48; 60 for the minutes; 50.
  EXPECT_EQ(booking_deposit(t, spec, kMonday, kMonday + 30 * kMinute), 148u + 60u + 50u);
  const auto parts = booking_deposit_parts(t, spec, kMonday, kMonday + 30 * kMinute);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->energy, 148u);
  EXPECT_EQ(parts->time, 60u);
  EXPECT_EQ(parts->fees, 50u);
  t.price_per_kwh = kMaxAmount / 1000;
  EXPECT_FALSE(
      booking_deposit(t, always_available_spec("u33dc1", 400'000), kMonday, kMonday + 7 * kDay));
}

TEST(Pricing, SessionCostRoundsEnergyHalfUpAndCountsStartedMinutes) {
  BookingRecord b;
  b.tariff.price_per_kwh = 33;
  b.tariff.price_per_minute = 1;
  b.tariff.idle_per_minute = 10;
  b.tariff.booking_fee = 25;
  b.end_ms = kMonday + kHour;
  // 1 515 Wh at 0.33/kWh is 49.995 -> 50.
  auto cost = session_cost(b, 1515, kMonday, kMonday + 61 * kMinute + 1, 0);
  ASSERT_TRUE(cost);
  EXPECT_EQ(cost->energy, 50u);
  EXPECT_EQ(cost->time, 62u * 1 + 2u * 10);  // 62 started minutes, 2 of them past the slot
  EXPECT_EQ(cost->total(), 50u + 82u + 25u);
  EXPECT_EQ(started_minutes(kMonday, kMonday), 0u);
  EXPECT_EQ(started_minutes(kMonday, kMonday + 1), 1u);
}

TEST(Pricing, CancellationFeeAfterTheFreeWindow) {
  Tariff t;
  t.free_cancel_before_ms = 2 * kHour;
  t.cancel_fee = 100;
  EXPECT_EQ(cancellation_fee(t, kMonday + 3 * kHour, kMonday + kHour), 0u);
  EXPECT_EQ(cancellation_fee(t, kMonday + 3 * kHour, kMonday + kHour + 1), 100u);
}

}  // namespace
}  // namespace pilemesh::ledger
