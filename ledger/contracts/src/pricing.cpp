#include "pilemesh/ledger/pricing.hpp"

#include <algorithm>

namespace pilemesh::ledger {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 24 * 60 * kMinuteMs;

// Products of prices, powers and durations, before the overflow check.
__extension__ typedef unsigned __int128 Wide;

std::optional<std::uint64_t> checked(Wide v) {
  if (v > kMaxAmount) return std::nullopt;
  return static_cast<std::uint64_t>(v);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

LocalTime local_time(std::int64_t time_ms, std::int32_t utc_offset_minutes) {
  const std::int64_t local = time_ms + std::int64_t{utc_offset_minutes} * kMinuteMs;
  const std::int64_t day = floor_div(local, kDayMs);
  // 1970-01-01 was a Thursday: weekday 3 when Monday is 0.
  const auto weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);
  const auto minute = static_cast<int>((local - day * kDayMs) / kMinuteMs);
  return {weekday, minute};
}

bool window_contains(const WeeklyWindow& w, const LocalTime& t) {
  return (w.weekdays & (1u << t.weekday)) != 0 && t.minute >= w.from_minute &&
         t.minute < w.to_minute;
}

bool slot_available(const PileSpec& spec, std::int64_t start_ms, std::int64_t end_ms,
                    std::int32_t utc_offset_minutes) {
  if (end_ms <= start_ms) return false;
  for (const TimeRange& c : spec.closures)
    if (start_ms < c.to_ms && c.from_ms < end_ms) return false;
  // Each local day's part of the slot must lie in one window of that weekday.
  const std::int64_t offset_ms = std::int64_t{utc_offset_minutes} * kMinuteMs;
  std::int64_t at = start_ms + offset_ms;  // local time from here on
  const std::int64_t end = end_ms + offset_ms;
  while (at < end) {
    const std::int64_t day = floor_div(at, kDayMs);
    const std::int64_t day_start = day * kDayMs;
    const std::int64_t part_end = std::min(end, day_start + kDayMs);
    const auto weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);
    const std::int64_t from_minute = (at - day_start) / kMinuteMs;
    const std::int64_t to_minute = (part_end - day_start + kMinuteMs - 1) / kMinuteMs;
    const bool covered =
        std::any_of(spec.availability.begin(), spec.availability.end(), [&](const WeeklyWindow& w) {
          return (w.weekdays & (1u << weekday)) != 0 && from_minute >= w.from_minute &&
                 to_minute <= w.to_minute;
        });
    if (!covered) return false;
    at = part_end;
  }
  return true;
}

std::uint64_t energy_price_at(const Tariff& tariff, std::int64_t time_ms,
                              std::int32_t utc_offset_minutes) {
  const LocalTime t = local_time(time_ms, utc_offset_minutes);
  for (const TouWindow& w : tariff.time_of_use)
    if (window_contains(w.when, t)) return w.price_per_kwh;
  return tariff.price_per_kwh;
}

std::uint32_t max_power_w(const PileSpec& spec) {
  std::uint32_t best = 0;
  for (const Connector& c : spec.connectors) best = std::max(best, c.max_power_w);
  return best;
}

std::uint64_t started_minutes(std::int64_t from_ms, std::int64_t to_ms) {
  if (to_ms <= from_ms) return 0;
  return static_cast<std::uint64_t>((to_ms - from_ms + kMinuteMs - 1) / kMinuteMs);
}

std::optional<std::uint64_t> booking_deposit(const Tariff& tariff, const PileSpec& spec,
                                             std::int64_t start_ms, std::int64_t end_ms) {
  const auto parts = booking_deposit_parts(tariff, spec, start_ms, end_ms);
  if (!parts) return std::nullopt;
  return parts->total();
}

std::uint64_t top_energy_price(const Tariff& tariff) {
  std::uint64_t top = tariff.price_per_kwh;
  for (const TouWindow& w : tariff.time_of_use) top = std::max(top, w.price_per_kwh);
  return top;
}

std::optional<SessionCost> booking_deposit_parts(const Tariff& tariff, const PileSpec& spec,
                                                 std::int64_t start_ms, std::int64_t end_ms) {
  const std::uint64_t top_price = top_energy_price(tariff);
  const Wide duration_ms = end_ms > start_ms ? static_cast<Wide>(end_ms - start_ms) : 0;
  // Wh = W * ms / 3 600 000; price per Wh = price per kWh / 1000; rounded up.
  const Wide energy_milli = static_cast<Wide>(max_power_w(spec)) * duration_ms * top_price;
  const Wide divisor = Wide{3'600'000} * 1000;
  const Wide energy = (energy_milli + divisor - 1) / divisor;
  const Wide time = static_cast<Wide>(started_minutes(start_ms, end_ms)) * tariff.price_per_minute;
  if (!checked(energy + time + tariff.booking_fee)) return std::nullopt;
  return SessionCost{static_cast<std::uint64_t>(energy), static_cast<std::uint64_t>(time),
                     tariff.booking_fee};
}

std::optional<SessionCost> session_cost(const BookingRecord& booking, std::uint64_t energy_wh,
                                        std::int64_t started_ms, std::int64_t stopped_ms,
                                        std::int32_t utc_offset_minutes) {
  const Tariff& t = booking.tariff;
  const std::uint64_t price = energy_price_at(t, started_ms, utc_offset_minutes);
  const auto energy = checked((static_cast<Wide>(energy_wh) * price + 500) / 1000);
  const Wide running =
      static_cast<Wide>(started_minutes(started_ms, stopped_ms)) * t.price_per_minute;
  const Wide overrun =
      static_cast<Wide>(started_minutes(booking.end_ms, stopped_ms)) * t.idle_per_minute;
  const auto time = checked(running + overrun);
  if (!energy || !time || !checked(Wide{*energy} + *time + t.booking_fee)) return std::nullopt;
  return SessionCost{*energy, *time, t.booking_fee};
}

std::uint64_t cancellation_fee(const Tariff& tariff, std::int64_t start_ms, std::int64_t now_ms) {
  return now_ms <= start_ms - tariff.free_cancel_before_ms ? 0 : tariff.cancel_fee;
}

}  // namespace pilemesh::ledger
