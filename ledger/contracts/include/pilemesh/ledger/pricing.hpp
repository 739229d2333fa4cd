// Prices, deposits and fees of the sharing service, in integer minor units, from a tariff
// and block times: shared by the contracts (which settle) and the service layer (which shows
// the same figures before anyone signs).
//
// Rounding: energy is priced per Wh and rounded half up to the minor unit once per session;
// time is counted in started minutes. Time-of-use: the energy price in force when the
// session starts applies to the whole session (the meter series stays off-chain).
#pragma once

#include <cstdint>
#include <optional>

#include "pilemesh/ledger/service_records.hpp"

namespace pilemesh::ledger {

// Weekday (Monday = 0) and minute of the local day of a block time.
struct LocalTime {
  int weekday = 0;
  int minute = 0;
};
LocalTime local_time(std::int64_t time_ms, std::int32_t utc_offset_minutes);

bool window_contains(const WeeklyWindow& w, const LocalTime& t);

// True when [start_ms, end_ms) lies inside the pile's weekly availability (each local day's
// part inside one window) and touches none of its closures.
bool slot_available(const PileSpec& spec, std::int64_t start_ms, std::int64_t end_ms,
                    std::int32_t utc_offset_minutes);

// The energy price at a moment: the first time-of-use window containing it, else the base.
std::uint64_t energy_price_at(const Tariff& tariff, std::int64_t time_ms,
                              std::int32_t utc_offset_minutes);

// The highest power the pile offers, over its connectors.
std::uint32_t max_power_w(const PileSpec& spec);

// The deposit locked at booking: the most the slot can cost — the pile's full power for the
// whole slot at the highest energy price of the tariff, the per-minute price for every minute,
// and the booking fee. Nothing when it would exceed kMaxAmount.
std::optional<std::uint64_t> booking_deposit(const Tariff& tariff, const PileSpec& spec,
                                             std::int64_t start_ms, std::int64_t end_ms);

struct SessionCost {
  std::uint64_t energy = 0;
  std::uint64_t time = 0;  // running minutes and overrun minutes
  std::uint64_t fees = 0;  // the booking fee
  std::uint64_t total() const { return energy + time + fees; }
};

// The highest price per kWh of the tariff, over its time-of-use windows: what a deposit holds.
std::uint64_t top_energy_price(const Tariff& tariff);

// The booking deposit in its parts, as a price breakdown shows it: the energy at full power
// and top price, the per-minute price of the slot, the booking fee. Their total is
// booking_deposit's answer; nothing when that would exceed kMaxAmount.
std::optional<SessionCost> booking_deposit_parts(const Tariff& tariff, const PileSpec& spec,
                                                 std::int64_t start_ms, std::int64_t end_ms);

// What a session costs under the booking's tariff. Nothing on overflow of kMaxAmount.
std::optional<SessionCost> session_cost(const BookingRecord& booking, std::uint64_t energy_wh,
                                        std::int64_t started_ms, std::int64_t stopped_ms,
                                        std::int32_t utc_offset_minutes);

// The fee for cancelling at `now_ms`: free until free_cancel_before_ms before the start.
std::uint64_t cancellation_fee(const Tariff& tariff, std::int64_t start_ms, std::int64_t now_ms);

// Started minutes of a span (0 for an empty or negative one).
std::uint64_t started_minutes(std::int64_t from_ms, std::int64_t to_ms);

}  // namespace pilemesh::ledger
