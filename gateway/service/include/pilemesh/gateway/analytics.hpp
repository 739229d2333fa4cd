// Analytics (ITU clauses 10.8 and 9.2) over the read model: a pile's usage by weekday and hour,
// energy, revenue and utilization per month, its rating trend, and custom reports (a metric,
// grouped, filtered, over a period) with CSV export. Times are the neighbourhood's local time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pilemesh/gateway/service_directory.hpp"

namespace pilemesh::gateway {

struct MonthFigures {
  std::uint64_t sessions = 0;
  std::uint64_t energy_wh = 0;
  std::uint64_t revenue = 0;  // minor units paid to the owner (sessions and fees)
  std::uint64_t charging_minutes = 0;
  double utilization = 0;  // charging minutes / minutes of the month
};

struct RatingPoint {
  std::int64_t time_ms = 0;
  int score = 0;
  double running_mean = 0;
};

struct PileAnalytics {
  std::array<std::array<std::uint64_t, 24>, 7> usage_minutes{};  // [weekday, Monday = 0][hour]
  std::map<std::string, MonthFigures> months;                    // "2026-11"
  std::vector<RatingPoint> ratings;                              // oldest first
  std::string peak;                                              // "Mon 18:00", or empty
};

PileAnalytics pile_analytics(const ServiceDirectory& directory, const std::string& pile_id,
                             std::int32_t utc_offset_minutes);

// "YYYY-MM" of a block time in the neighbourhood's local time.
std::string month_of(std::int64_t time_ms, std::int32_t utc_offset_minutes);

// Reports grouped by members (member_role, member_joined, member_experience) show only groups
// of at least this many members.
inline constexpr std::size_t kMinReportGroupMembers = 5;

struct ReportQuery {
  std::string
      metric;  // sessions | energy_wh | revenue | bookings | cancellations | no_shows | rating
  // pile | month | weekday | hour, or the members' member_role | member_joined |
  // member_experience (groups of fewer than kMinReportGroupMembers pooled as "other")
  std::string group_by;
  std::optional<std::string> pile_id;
  std::optional<ledger::PublicKey> owner;  // only this owner's piles
  std::optional<std::int64_t> from_ms, to_ms;
};

struct ReportRow {
  std::string group;
  double value = 0;
};

// Rows in group order; nothing and `error` naming the parameter when the query is not valid.
std::optional<std::vector<ReportRow>> run_report(const ServiceDirectory& directory,
                                                 const ReportQuery& query,
                                                 std::int32_t utc_offset_minutes,
                                                 std::string& error);
std::string report_csv(const ReportQuery& query, const std::vector<ReportRow>& rows);

}  // namespace pilemesh::gateway
