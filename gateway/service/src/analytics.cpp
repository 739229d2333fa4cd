#include "pilemesh/gateway/analytics.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "pilemesh/ledger/pricing.hpp"

namespace pilemesh::gateway {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 24 * 60 * kMinuteMs;
constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

struct Civil {
  int year;
  unsigned month;
};

// Days since 1970-01-01 to a civil year and month (the proleptic Gregorian calendar).
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
  return {y, m};
}

int days_in_month(int y, unsigned m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool in_period(std::int64_t t, const ReportQuery& q) {
  return (!q.from_ms || t >= *q.from_ms) && (!q.to_ms || t < *q.to_ms);
}

}  // namespace

std::string month_of(std::int64_t time_ms, std::int32_t utc_offset_minutes) {
  const std::int64_t local = time_ms + std::int64_t{utc_offset_minutes} * kMinuteMs;
  const Civil c = civil_from_days(local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u", c.year, c.month);
  return text;
}

PileAnalytics pile_analytics(const ServiceDirectory& directory, const std::string& pile_id,
                             std::int32_t utc_offset_minutes) {
  PileAnalytics out;
  for (const auto& [id, b] : directory.bookings_of_pile(pile_id)) {
    const std::string month = month_of(b->booked_ms, utc_offset_minutes);
    if (b->status == ledger::BookingStatus::kCancelled ||
        b->status == ledger::BookingStatus::kNoShow) {
      out.months[month].revenue += b->paid;  // the fees
      continue;
    }
    if (b->status != ledger::BookingStatus::kCompleted) continue;
    MonthFigures& m = out.months[month_of(b->started_ms, utc_offset_minutes)];
    ++m.sessions;
    m.energy_wh += b->energy_wh;
    m.revenue += b->paid;
    // Spread the charging time over the weekday-hour cells it covers, minute by minute.
    for (std::int64_t t = b->started_ms; t < b->stopped_ms; t += kMinuteMs) {
      const ledger::LocalTime lt = ledger::local_time(t, utc_offset_minutes);
      ++out.usage_minutes[static_cast<std::size_t>(lt.weekday)]
                         [static_cast<std::size_t>(lt.minute / 60)];
      ++m.charging_minutes;
    }
  }
  for (auto& [name, m] : out.months) {
    const int year = std::stoi(name.substr(0, 4));
    const auto month = static_cast<unsigned>(std::stoi(name.substr(5, 2)));
    m.utilization =
        static_cast<double>(m.charging_minutes) / (days_in_month(year, month) * 24.0 * 60);
  }
  std::uint64_t best = 0;
  for (std::size_t d = 0; d < 7; ++d) {
    for (std::size_t h = 0; h < 24; ++h) {
      if (out.usage_minutes[d][h] > best) {
        best = out.usage_minutes[d][h];
        char text[16];
        std::snprintf(text, sizeof text, "%s %02zu:00", kWeekdays[d], h);
        out.peak = text;
      }
    }
  }
  auto ratings = directory.ratings_of_pile(pile_id);
  std::reverse(ratings.begin(), ratings.end());  // oldest first
  double sum = 0;
  for (const RatingView* r : ratings) {
    sum += r->record.score;
    out.ratings.push_back(
        {r->record.rated_ms, r->record.score, sum / static_cast<double>(out.ratings.size() + 1)});
  }
  return out;
}

namespace {

// A member's group for the member_* groupings: attributes the chain holds anyway (role, the
// month they joined, how many sessions they have charged), never anything about the person.
std::string member_group_of(const ledger::MemberRecord& m, const std::string& group_by,
                            std::int32_t utc_offset_minutes) {
  if (group_by == "member_role") {
    switch (m.role) {
      case ledger::Role::kEvUser:
        return "ev_user";
      case ledger::Role::kPileOwner:
        return "pile_owner";
      case ledger::Role::kAdmin:
        return "admin";
    }
    return "unknown";
  }
  if (group_by == "member_joined") return month_of(m.joined_ms, utc_offset_minutes);
  if (m.sessions <= 1) return "1 session or none";
  if (m.sessions <= 5) return "2-5 sessions";
  if (m.sessions <= 20) return "6-20 sessions";
  return "over 20 sessions";
}

// Groups of fewer than kMinReportGroupMembers members would let a reader pick out a person:
// they are pooled into "other", which is dropped too when it is still that small.
void pool_small_groups(std::map<std::string, std::pair<double, std::uint64_t>>& sums,
                       const std::map<std::string, std::set<ledger::PublicKey>>& members) {
  std::pair<double, std::uint64_t> other{0, 0};
  std::set<ledger::PublicKey> other_members;
  for (auto it = sums.begin(); it != sums.end();) {
    const auto& in_group = members.at(it->first);
    if (in_group.size() >= kMinReportGroupMembers) {
      ++it;
      continue;
    }
    other.first += it->second.first;
    other.second += it->second.second;
    other_members.insert(in_group.begin(), in_group.end());
    it = sums.erase(it);
  }
  if (other_members.size() >= kMinReportGroupMembers) sums["other"] = other;
}

}  // namespace

std::optional<std::vector<ReportRow>> run_report(const ServiceDirectory& directory,
                                                 const ReportQuery& q,
                                                 std::int32_t utc_offset_minutes,
                                                 std::string& error) {
  static const std::set<std::string> kMetrics = {
      "sessions", "energy_wh", "revenue", "bookings", "cancellations", "no_shows", "rating"};
  static const std::set<std::string> kGroups = {
      "pile", "month", "weekday", "hour", "member_role", "member_joined", "member_experience"};
  if (kMetrics.count(q.metric) == 0) {
    error =
        "metric: one of sessions, energy_wh, revenue, bookings, cancellations, no_shows, rating";
    return std::nullopt;
  }
  if (kGroups.count(q.group_by) == 0) {
    error =
        "group_by: one of pile, month, weekday, hour, member_role, member_joined, "
        "member_experience";
    return std::nullopt;
  }
  const bool by_member = q.group_by.starts_with("member_");
  std::map<ledger::PublicKey, std::string> member_groups;  // each member's group, read once
  auto member_group = [&](const ledger::PublicKey& key) -> const std::string& {
    auto it = member_groups.find(key);
    if (it == member_groups.end()) {
      const auto m = directory.member(key);
      it = member_groups
               .emplace(key, m ? member_group_of(*m, q.group_by, utc_offset_minutes)
                               : std::string("unknown"))
               .first;
    }
    return it->second;
  };
  std::map<std::string, std::set<ledger::PublicKey>> group_members;
  auto group_of = [&](const std::string& pile, std::int64_t t,
                      const ledger::PublicKey& member) -> std::string {
    if (by_member) {
      const std::string& g = member_group(member);
      group_members[g].insert(member);
      return g;
    }
    if (q.group_by == "pile") return pile;
    if (q.group_by == "month") return month_of(t, utc_offset_minutes);
    const ledger::LocalTime lt = ledger::local_time(t, utc_offset_minutes);
    char text[16];
    if (q.group_by == "weekday")
      return std::to_string(lt.weekday + 1) + "-" + kWeekdays[lt.weekday];
    std::snprintf(text, sizeof text, "%02d", lt.minute / 60);
    return std::string(text);
  };
  auto wanted_pile = [&](const std::string& id) {
    if (q.pile_id && id != *q.pile_id) return false;
    if (q.owner) {
      const PileView* p = directory.pile(id);
      if (!p || p->record.owner != *q.owner) return false;
    }
    return true;
  };
  std::map<std::string, std::pair<double, std::uint64_t>> sums;  // value, count
  if (q.metric == "rating") {
    for (const auto& [id, pile] : directory.piles()) {
      if (!wanted_pile(id)) continue;
      for (const RatingView* r : directory.ratings_of_pile(id)) {
        if (!in_period(r->record.rated_ms, q)) continue;
        auto& s = sums[group_of(id, r->record.rated_ms, r->record.member)];
        s.first += r->record.score;
        ++s.second;
      }
    }
  } else {
    for (const auto& [id, b] : directory.bookings()) {
      if (!wanted_pile(b.pile_id)) continue;
      const bool completed = b.status == ledger::BookingStatus::kCompleted;
      const std::int64_t t = completed ? b.started_ms : b.start_ms;
      if (!in_period(t, q)) continue;
      double value = 0;
      if (q.metric == "bookings")
        value = 1;
      else if (q.metric == "cancellations")
        value = b.status == ledger::BookingStatus::kCancelled;
      else if (q.metric == "no_shows")
        value = b.status == ledger::BookingStatus::kNoShow;
      else if (q.metric == "revenue")
        value = static_cast<double>(b.paid);
      else if (!completed)
        continue;
      else if (q.metric == "sessions")
        value = 1;
      else if (q.metric == "energy_wh")
        value = static_cast<double>(b.energy_wh);
      auto& s = sums[group_of(b.pile_id, t, b.member)];
      s.first += value;
      ++s.second;
    }
  }
  if (by_member) pool_small_groups(sums, group_members);
  std::vector<ReportRow> rows;
  for (const auto& [group, s] : sums) {
    const double value = q.metric == "rating" ? s.first / static_cast<double>(s.second) : s.first;
    rows.push_back({group, value});
  }
  return rows;
}

std::string report_csv(const ReportQuery& q, const std::vector<ReportRow>& rows) {
  std::string out = q.group_by + "," + q.metric + "\n";
  for (const ReportRow& r : rows) {
    // Groups are ids, months, weekdays or hours: no commas or quotes, nothing to escape.
    char value[32];
    std::snprintf(value, sizeof value, q.metric == "rating" ? "%.3f" : "%.0f", r.value);
    out += r.group + "," + value + "\n";
  }
  return out;
}

}  // namespace pilemesh::gateway
