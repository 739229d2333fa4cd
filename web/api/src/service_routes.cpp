// The sharing service's JSON API (docs/api.md): search, piles, members, bookings with their
// receipts, analytics and reports, transactions prepared for members to sign with their own
// keys, and the sessions of this gateway's piles. Search, piles and reviews answer everyone;
// a member's wallet, bookings, piles, top-ups and profile answer only that member (logged in,
// see caller.hpp) and admins, a pile's analytics and bookings only its owner and admins, the
// verification queue only admins. Every change is a transaction signed by its member, or for
// sessions the booking's access token as well.
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "caller.hpp"
#include "json_body.hpp"
#include "offchain_message.hpp"
#include "pilemesh/api/api.hpp"
#include "pilemesh/gateway/analytics.hpp"
#include "pilemesh/gateway/pile_search.hpp"
#include "pilemesh/gateway/sharing_service.hpp"
#include "pilemesh/ledger/committed_state.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_json.hpp"
#include "pilemesh/ledger/offchain_store.hpp"
#include "pilemesh/ledger/pricing.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::api {
namespace {

using gateway::ServiceError;
using gateway::SharingService;
using nlohmann::json;
using web::json_error;
using web::Request;
using web::Response;

Response ok(const json& j, int status = 200) {
  return web::json_response(status, j.dump());
}
Response fail(const ServiceError& e) {
  return json_error(e.http_status, e.code, e.message);
}

// A query parameter as a whole number; an error response when present but not one.
template <class N>
std::optional<Response> number_param(const std::map<std::string, std::string>& q, const char* name,
                                     std::optional<N>& out) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return std::nullopt;
  N value{};
  const auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (ec != std::errc() || end != it->second.data() + it->second.size())
    return json_error(400, "invalid_parameter", std::string(name) + ": expected a whole number");
  out = value;
  return std::nullopt;
}

std::optional<ledger::PublicKey> key_param(const Request& r) {
  return ledger::PublicKey::from_hex(r.params.at("key"));
}

json booking_json(const ledger::Hash& id, const ledger::BookingRecord& b) {
  json j = ledger::service_to_json(b);
  j["id"] = id.hex();
  j["cost"] = b.energy_cost + b.time_cost + b.fees;
  return j;
}

// The plain mean of a pile's ratings (1..3), for people; R_cp (score) weighs the raters'
// credibility instead.
std::optional<double> rating_average(const SharingService& service, const gateway::PileView& p) {
  if (p.info.ratings == 0) return std::nullopt;
  const auto milli = service.directory().rating_average_milli(p.id);
  if (!milli) return std::nullopt;
  return static_cast<double>(*milli) / 1000;
}

json pile_json(const SharingService& service, const gateway::PileView& p, bool with_slots) {
  json j = ledger::service_to_json(p.info);
  // Live, as its gateway last announced it (signed by the owner; pile_status.hpp).
  if (const auto* live = service.pile_status(p.id))
    j["live"] = {{"status", gateway::to_string(live->status)}, {"time_ms", live->time_ms}};
  j["id"] = p.id;
  j["owner"] = p.record.owner.hex();
  j["charging_count"] = p.record.charging_count;
  j["evaluation_count"] = p.record.evaluation_count;
  j["score_display"] = static_cast<double>(p.info.score) / 1e6;  // R_cp for people
  // The back-pointers a rating of this pile must carry (rate_session).
  j["last_charging"] = p.record.last_charging.hex();
  j["last_evaluation"] = p.record.last_evaluation.hex();
  if (const auto average = rating_average(service, p)) j["rating_average"] = *average;
  j["max_power_w"] = ledger::max_power_w(p.info.spec);
  j.erase("sealed_address");  // only for the booked member, through the booking
  if (p.point) j["point"] = {{"lat", p.point->lat}, {"lon", p.point->lon}};
  if (with_slots) {
    json slots = json::array();
    for (const auto& s : p.slots.slots)
      slots.push_back({{"start_ms", s.start_ms}, {"end_ms", s.end_ms}});
    j["taken"] = std::move(slots);
  }
  return j;
}

// A search result as a list shows it: where, how fast, how much, how liked, free or not.
json pile_list_json(const SharingService& service, const gateway::PileView& p) {
  json connectors = json::array();
  for (const auto& c : p.info.spec.connectors)
    connectors.push_back({{"type", static_cast<int>(c.type)}, {"max_power_w", c.max_power_w}});
  json j{{"id", p.id},
         {"owner", p.record.owner.hex()},
         {"connectors", std::move(connectors)},
         {"max_power_w", ledger::max_power_w(p.info.spec)},
         {"price_per_kwh", p.info.tariff.price_per_kwh},
         {"price_per_minute", p.info.tariff.price_per_minute},
         {"ratings", p.info.ratings},
         {"score_display", static_cast<double>(p.info.score) / 1e6}};
  if (const auto average = rating_average(service, p)) j["rating_average"] = *average;
  if (const auto* live = service.pile_status(p.id))
    j["live"] = {{"status", gateway::to_string(live->status)}, {"time_ms", live->time_ms}};
  if (p.point) j["point"] = {{"lat", p.point->lat}, {"lon", p.point->lon}};
  return j;
}

Response search(SharingService& service, const Request& r) {
  const auto q = web::query_params(r.query);
  gateway::PileQuery query;
  std::optional<std::int64_t> from, to, min_score, limit;
  std::optional<std::uint64_t> max_price;
  std::optional<std::uint32_t> min_power, connector, within_m, min_rating_milli;
  if (auto e = number_param(q, "from_ms", from)) return std::move(*e);
  if (auto e = number_param(q, "to_ms", to)) return std::move(*e);
  if (auto e = number_param(q, "min_score", min_score)) return std::move(*e);
  if (auto e = number_param(q, "limit", limit)) return std::move(*e);
  if (auto e = number_param(q, "max_price_per_kwh", max_price)) return std::move(*e);
  if (auto e = number_param(q, "min_power_w", min_power)) return std::move(*e);
  if (auto e = number_param(q, "connector", connector)) return std::move(*e);
  if (auto e = number_param(q, "within_m", within_m)) return std::move(*e);
  if (auto e = number_param(q, "min_rating_milli", min_rating_milli)) return std::move(*e);
  if (min_rating_milli && (*min_rating_milli < 1000 || *min_rating_milli > 3000))
    return json_error(400, "invalid_parameter",
                      "min_rating_milli: the least mean rating in thousandths, 1000 to 3000");
  if (auto it = q.find("near"); it != q.end() && !it->second.empty()) {
    query.near = gateway::geohash_center(it->second);
    if (!query.near)
      return json_error(400, "invalid_parameter", "near: expected a geohash such as u33dc1");
  }
  if (from.has_value() != to.has_value() || (from && *to <= *from))
    return json_error(400, "invalid_parameter",
                      "from_ms and to_ms: give both, to_ms after from_ms");
  if (connector && (*connector < 1 || *connector > 6))
    return json_error(400, "invalid_parameter",
                      "connector: 1 Type 2, 2 CCS2, 3 CCS1, 4 CHAdeMO, 5 GB/T, 6 NACS");
  query.from_ms = from;
  query.to_ms = to;
  query.min_score = min_score;
  query.max_price_per_kwh = max_price;
  query.min_power_w = min_power.value_or(0);
  if (connector) query.connector = static_cast<ledger::ConnectorType>(*connector);
  if (within_m) query.max_distance_m = *within_m;
  query.min_rating_milli = min_rating_milli;
  query.limit = static_cast<std::size_t>(std::clamp<std::int64_t>(limit.value_or(50), 1, 500));
  // view=list: what a list of results shows (a third of the bytes); the pile's page has the rest.
  const auto view = q.find("view");
  const bool list = view != q.end() && view->second == "list";
  if (view != q.end() && !list && view->second != "full")
    return json_error(400, "invalid_parameter", "view: list or full (the default)");
  json out = json::array();
  for (const auto& hit :
       gateway::search_piles(service.directory(), query, service.ledger().now_ms(),
                             service.params().utc_offset_minutes)) {
    json j = list ? pile_list_json(service, *hit.pile) : pile_json(service, *hit.pile, false);
    if (hit.distance_m) j["distance_m"] = std::lround(*hit.distance_m);
    if (hit.estimate) j["estimate"] = *hit.estimate;
    j["wait_ms"] = hit.wait_ms;
    out.push_back(std::move(j));
  }
  return ok({{"piles", std::move(out)}});
}

Response pile_detail(SharingService& service, const Request& r) {
  const auto* p = service.directory().pile(r.params.at("id"));
  if (p == nullptr) return json_error(404, "not_found", "no pile \"" + r.params.at("id") + "\"");
  json j = pile_json(service, *p, true);
  json ratings = json::array();
  for (const auto* rating : service.directory().ratings_of_pile(p->id)) {
    json one = ledger::service_to_json(rating->record);
    one["id"] = rating->id.hex();
    // The texts, when this gateway holds them off-chain; shown as text, never as markup.
    if (auto* offchain = service.offchain()) {
      for (const auto& [field, hash] : {std::pair{"review", rating->record.review_hash},
                                        std::pair{"response", rating->record.response_hash}}) {
        if (hash.is_zero()) continue;
        if (auto rec = offchain->get(hash))
          one[field] = std::string(rec->bytes.begin(), rec->bytes.end());
      }
    }
    ratings.push_back(std::move(one));
  }
  j["ratings"] = std::move(ratings);
  return ok(j);
}

Response quote(SharingService& service, const Request& r) {
  const auto* p = service.directory().pile(r.params.at("id"));
  if (p == nullptr) return json_error(404, "not_found", "no pile \"" + r.params.at("id") + "\"");
  const auto q = web::query_params(r.query);
  std::optional<std::int64_t> start, end;
  if (auto e = number_param(q, "start_ms", start)) return std::move(*e);
  if (auto e = number_param(q, "end_ms", end)) return std::move(*e);
  if (!start || !end || *end <= *start)
    return json_error(400, "invalid_parameter", "start_ms and end_ms: the slot, end after start");
  if (!p->info.has_tariff) return json_error(409, "no_tariff", "the pile has no tariff yet");
  const auto deposit = ledger::booking_deposit_parts(p->info.tariff, p->info.spec, *start, *end);
  const int offset = service.params().utc_offset_minutes;
  const bool free = ledger::slot_available(p->info.spec, *start, *end, offset) &&
                    std::none_of(p->slots.slots.begin(), p->slots.slots.end(), [&](const auto& s) {
                      return *start < s.end_ms && s.start_ms < *end;
                    });
  // The deposit's parts: the slot's energy at full power and top price, its minutes, the fee.
  json parts = nullptr;
  if (deposit)
    parts = {{"energy", deposit->energy},
             {"time", deposit->time},
             {"booking_fee", deposit->fees},
             {"max_power_w", ledger::max_power_w(p->info.spec)},
             {"price_per_kwh", ledger::top_energy_price(p->info.tariff)}};
  return ok({{"deposit", deposit ? json(deposit->total()) : json(nullptr)},
             {"deposit_parts", std::move(parts)},
             {"available", free},
             {"price_per_kwh", ledger::energy_price_at(p->info.tariff, *start, offset)},
             {"price_per_minute", p->info.tariff.price_per_minute},
             {"idle_per_minute", p->info.tariff.idle_per_minute},
             {"booking_fee", p->info.tariff.booking_fee},
             {"cancel_fee", p->info.tariff.cancel_fee},
             {"free_cancel_until_ms", *start - p->info.tariff.free_cancel_before_ms},
             {"tariff_version", p->info.tariff_version},
             {"currency", service.params().currency}});
}

// Everyone sees a member's role, status and standing; the member and admins also the wallet,
// the profile's hash, the guardians and the recovery codes' hashes.
Response member(MemberAuth& auth, SharingService& service, const Request& r) {
  auto key = key_param(r);
  if (!key) return json_error(400, "invalid_key", "a member key is 64 hex digits");
  const ledger::CommittedState view(service.ledger().node().store().state());
  const ledger::ServiceReader read(view);
  auto m = read.member(*key);
  const auto caller = optional_caller(auth, service, r);
  if (!caller || (caller->key != *key && !caller->admin)) {
    if (!m) return json_error(404, "not_found", "no member with this key");
    return ok({{"key", key->hex()},
               {"role", ledger::service_to_json(*m)["role"]},
               {"status", static_cast<int>(m->status)},
               {"joined_ms", m->joined_ms},
               {"credibility", m->credibility},
               {"sessions", m->sessions}});
  }
  const ledger::AccountRecord a = read.account(*key);
  json j = m ? ledger::service_to_json(*m) : json{{"status", nullptr}};
  j["key"] = key->hex();
  j["balance"] = a.balance;
  j["last_evaluation"] = a.last_evaluation.hex();  // for the member's next rate_session
  j["nonce"] = a.nonce;
  std::uint64_t escrow = 0;
  for (const auto& [id, b] : service.directory().bookings_of_member(*key)) escrow += b->escrow;
  j["escrow"] = escrow;
  j["currency"] = service.params().currency;
  return ok(j);
}

Response member_bookings(MemberAuth& auth, SharingService& service, const Request& r) {
  auto key = key_param(r);
  if (!key) return json_error(400, "invalid_key", "a member key is 64 hex digits");
  auto caller = authenticate_as(auth, service, r, *key, "bookings");
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  json out = json::array();
  for (const auto& [id, b] : service.directory().bookings_of_member(*key))
    out.push_back(booking_json(id, *b));
  std::sort(out.begin(), out.end(),
            [](const json& a, const json& b) { return a["start_ms"] > b["start_ms"]; });
  return ok({{"bookings", std::move(out)}});
}

// The owner of the pile a booking is for.
std::optional<ledger::PublicKey> pile_owner(SharingService& service, const std::string& pile_id) {
  const auto* p = service.directory().pile(pile_id);
  if (p == nullptr) return std::nullopt;
  return p->record.owner;
}

// Every pile the member owns, whatever its status: search lists only verified piles with a
// tariff, and an owner's dashboard also shows those waiting, refused or without a price.
Response member_piles(MemberAuth& auth, SharingService& service, const Request& r) {
  auto key = key_param(r);
  if (!key) return json_error(400, "invalid_key", "a member key is 64 hex digits");
  auto caller = authenticate_as(auth, service, r, *key, "piles");
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  json out = json::array();
  for (const auto& [id, p] : service.directory().piles()) {
    if (p.record.owner != *key) continue;
    json j = pile_json(service, p, true);
    // The address sealed on the ledger (ciphertext, public there anyway): the owner's client
    // sends it back unchanged when it updates the pile's spec.
    j["sealed_address"] = ledger::to_hex(p.info.spec.sealed_address);
    out.push_back(std::move(j));
  }
  return ok({{"piles", std::move(out)}});
}

// A pile's bookings, newest first, for its owner's calendar: those whose slot meets
// [from_ms, to_ms) when given.
// The name a member gave in their profile (an off-chain JSON text), for the owners of the piles
// they book: the sign-up page promises it. Only the name; the rest of the profile stays theirs.
std::optional<std::string> profile_name(SharingService& service, const ledger::PublicKey& key) {
  if (service.offchain() == nullptr) return std::nullopt;
  const ledger::CommittedState view(service.ledger().node().store().state());
  const auto m = ledger::ServiceReader(view).member(key);
  if (!m || m->profile_hash == ledger::Hash{}) return std::nullopt;
  const auto rec = service.offchain()->get(m->profile_hash);
  // Anyone may point their profile at another's text: only the member's own counts.
  if (!rec || rec->kind != ledger::OffchainKind::kProfile || rec->author != key)
    return std::nullopt;
  const json profile = json::parse(rec->bytes.begin(), rec->bytes.end(), nullptr, false);
  if (!profile.is_object() || !profile.contains("name") || !profile["name"].is_string())
    return std::nullopt;
  auto name = profile["name"].get<std::string>();
  if (name.empty() || name.size() > 100) return std::nullopt;
  return name;
}

Response pile_bookings(MemberAuth& auth, SharingService& service, const Request& r) {
  const std::string& id = r.params.at("id");
  auto caller = authenticate(auth, service, r, false);
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  const auto owner = pile_owner(service, id);
  if (!owner) return json_error(404, "not_found", "no pile \"" + id + "\"");
  if (*owner != std::get<Caller>(caller).key && !std::get<Caller>(caller).admin)
    return forbidden("only the pile's owner and admins see its bookings");
  const auto q = web::query_params(r.query);
  std::optional<std::int64_t> from, to;
  if (auto e = number_param(q, "from_ms", from)) return std::move(*e);
  if (auto e = number_param(q, "to_ms", to)) return std::move(*e);
  if (from && to && *to <= *from)
    return json_error(400, "invalid_parameter", "from_ms and to_ms: to_ms after from_ms");
  json out = json::array();
  std::map<ledger::PublicKey, std::optional<std::string>> names;
  for (const auto& [booking_id, b] : service.directory().bookings_of_pile(id)) {
    if ((from && b->end_ms <= *from) || (to && b->start_ms >= *to)) continue;
    json j = booking_json(booking_id, *b);
    auto name = names.find(b->member);
    if (name == names.end())
      name = names.emplace(b->member, profile_name(service, b->member)).first;
    if (name->second) j["member_name"] = *name->second;
    out.push_back(std::move(j));
  }
  std::sort(out.begin(), out.end(),
            [](const json& a, const json& b) { return a["start_ms"] > b["start_ms"]; });
  return ok({{"bookings", std::move(out)}});
}

// The admins' verification queue: members and piles still waiting for attestation, the
// longest waiting first.
Response pending(MemberAuth& auth, SharingService& service, const Request& r) {
  auto caller = authenticate(auth, service, r, false);
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  if (!std::get<Caller>(caller).admin)
    return forbidden("only admins see the verification queue; ask one to attest you");
  json members = json::array();
  for (const auto& [key, m] : service.directory().pending_members()) {
    json j = ledger::service_to_json(m);  // admins see every member's whole record
    j["key"] = key.hex();
    members.push_back(std::move(j));
  }
  std::vector<const gateway::PileView*> waiting;
  for (const auto& [id, p] : service.directory().piles()) {
    if (p.info.status == ledger::MemberStatus::kPending) waiting.push_back(&p);
  }
  std::stable_sort(waiting.begin(), waiting.end(), [](const auto* a, const auto* b) {
    return a->info.registered_ms < b->info.registered_ms;
  });
  json piles = json::array();
  for (const auto* p : waiting) piles.push_back(pile_json(service, *p, false));
  // Top-ups paid to this admin (the gateway's methods name its key as payee) wait for their
  // confirmation once the money has arrived.
  json topups = json::array();
  for (const auto& [id, t] : service.directory().topups()) {
    if (t.payee != std::get<Caller>(caller).key || t.status != ledger::TopUpStatus::kRequested)
      continue;
    json j = ledger::service_to_json(t);
    j["id"] = id.hex();
    topups.push_back(std::move(j));
  }
  return ok({{"members", std::move(members)},
             {"piles", std::move(piles)},
             {"topups", std::move(topups)}});
}

// A booking is the business of its member, the pile's owner and admins.
std::optional<Response> check_booking_party(SharingService& service, const Caller& caller,
                                            const ledger::BookingRecord& b) {
  if (caller.admin || caller.key == b.member || pile_owner(service, b.pile_id) == caller.key)
    return std::nullopt;
  return forbidden("only the booking's member, the pile's owner and admins see a booking");
}

Response booking(MemberAuth& auth, SharingService& service, const Request& r) {
  auto id = ledger::Hash::from_hex(r.params.at("id"));
  if (!id) return json_error(400, "invalid_id", "a booking id is 64 hex digits");
  auto caller = authenticate(auth, service, r, false);
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  const auto* b = service.directory().booking(*id);
  if (b == nullptr) return json_error(404, "not_found", "no such booking");
  if (auto denied = check_booking_party(service, std::get<Caller>(caller), *b))
    return std::move(*denied);
  json j = booking_json(*id, *b);
  if (const auto* live = service.live_session(*id)) {
    j["live"] = {{"energy_wh", live->current_wh - live->meter_start_wh},
                 {"meter_values", live->values}};
  }
  // The receipt's proof: the stop transaction's inclusion in its block.
  if (!b->charging_tx.is_zero()) {
    const auto& blocks = service.ledger().node().store().blocks();
    if (auto rec = blocks.tx(b->charging_tx)) {
      json receipt{{"tx", b->charging_tx.hex()}, {"height", rec->height}};
      if (auto proof = blocks.tx_proof(rec->height, rec->index)) {
        receipt["proof"] = ledger::to_json(*proof);
        receipt["tx_root"] = blocks.header(rec->height)->tx_root.hex();
      }
      j["receipt"] = std::move(receipt);
    }
  }
  return ok(j);
}

Response analytics(MemberAuth& auth, SharingService& service, const Request& r) {
  const std::string& id = r.params.at("id");
  auto caller = authenticate(auth, service, r, false);
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  const auto owner = pile_owner(service, id);
  if (!owner) return json_error(404, "not_found", "no pile \"" + id + "\"");
  if (*owner != std::get<Caller>(caller).key && !std::get<Caller>(caller).admin)
    return forbidden("only the pile's owner and admins see its analytics");
  const auto a =
      gateway::pile_analytics(service.directory(), id, service.params().utc_offset_minutes);
  json months = json::object();
  for (const auto& [m, f] : a.months) {
    months[m] = {{"sessions", f.sessions},
                 {"energy_wh", f.energy_wh},
                 {"revenue", f.revenue},
                 {"utilization", f.utilization}};
  }
  json ratings = json::array();
  for (const auto& p : a.ratings)
    ratings.push_back({{"time_ms", p.time_ms}, {"score", p.score}, {"mean", p.running_mean}});
  return ok({{"usage_minutes", a.usage_minutes},
             {"months", months},
             {"ratings", ratings},
             {"peak", a.peak}});
}

// Reports cover the caller's own piles; admins may ask for any owner's, or for all.
Response report(MemberAuth& auth, SharingService& service, const Request& r) {
  auto authenticated = authenticate(auth, service, r, false);
  if (auto* e = std::get_if<Response>(&authenticated)) return std::move(*e);
  const Caller& caller = std::get<Caller>(authenticated);
  const auto q = web::query_params(r.query);
  gateway::ReportQuery query;
  query.metric = q.count("metric") ? q.at("metric") : "";
  query.group_by = q.count("group_by") ? q.at("group_by") : "";
  if (q.count("pile")) query.pile_id = q.at("pile");
  if (q.count("owner")) {
    query.owner = ledger::PublicKey::from_hex(q.at("owner"));
    if (!query.owner)
      return json_error(400, "invalid_parameter", "owner: a member key is 64 hex digits");
  }
  if (auto e = number_param(q, "from_ms", query.from_ms)) return std::move(*e);
  if (auto e = number_param(q, "to_ms", query.to_ms)) return std::move(*e);
  if (!caller.admin) {
    if (query.owner && *query.owner != caller.key)
      return forbidden("reports cover your own piles; only admins ask for another owner's");
    query.owner = caller.key;
  }
  std::string error;
  auto rows =
      gateway::run_report(service.directory(), query, service.params().utc_offset_minutes, error);
  if (!rows) return json_error(400, "invalid_parameter", error);
  if (q.count("format") && q.at("format") == "csv") {
    Response resp;
    resp.content_type = "text/csv; charset=utf-8";
    resp.body = gateway::report_csv(query, *rows);
    resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + query.metric +
                                                         "-by-" + query.group_by + ".csv\"");
    return resp;
  }
  json out = json::array();
  for (const auto& row : *rows) out.push_back({{"group", row.group}, {"value", row.value}});
  return ok({{"metric", query.metric}, {"group_by", query.group_by}, {"rows", std::move(out)}});
}

// POST /api/v1/service/prepare {"type": "book", "signer": "<hex key>", "payload": {...}}
// for the logged-in member as signer; registering needs no session (there is no member yet).
Response prepare(MemberAuth& auth, SharingService& service, const Request& r) {
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const json& body = std::get<json>(parsed);
  if (!body.is_object() || !body.contains("type") || !body["type"].is_string() ||
      !body.contains("signer") || !body["signer"].is_string() || !body.contains("payload")) {
    return json_error(
        422, "invalid_field",
        "expected {\"type\": \"book\", \"signer\": \"<hex key>\", \"payload\": {...}}");
  }
  auto signer = ledger::PublicKey::from_hex(body["signer"].get<std::string>());
  if (!signer) return json_error(422, "invalid_field", "signer: a member key is 64 hex digits");
  if (body["type"] != "register_member") {
    auto caller = authenticate(auth, service, r, true);
    if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
    if (std::get<Caller>(caller).key != *signer)
      return forbidden("the signer must be the logged-in member");
  }
  auto tx = service.prepare(body["type"].get<std::string>(), *signer, body["payload"]);
  if (auto* e = std::get_if<ServiceError>(&tx)) return fail(*e);
  const auto& t = std::get<ledger::Transaction>(tx);
  return ok({{"tx", ledger::to_hex(ledger::encode(t))},
             {"sign", ledger::to_hex(ledger::signing_bytes(t))},
             {"nonce", t.nonce},
             {"payload", ledger::to_json(t)["payload"]}});
}

// Starting and stopping take the logged-in booking member and the booking's access token.
Response session(MemberAuth& auth, SharingService& service, const Request& r, bool start) {
  auto caller = authenticate(auth, service, r, true);
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const json& body = std::get<json>(parsed);
  if (!body.is_object() || !body.contains("booking") || !body["booking"].is_string() ||
      !body.contains("token") || !body["token"].is_string() ||
      body["token"].get_ref<const std::string&>().size() > ledger::kMaxTokenBytes) {
    return json_error(422, "invalid_field",
                      "expected {\"booking\": \"<id>\", \"token\": \"<the QR token>\"}");
  }
  auto id = ledger::Hash::from_hex(body["booking"].get<std::string>());
  if (!id) return json_error(422, "invalid_field", "booking: 64 hex digits");
  const std::string& token = body["token"].get_ref<const std::string&>();
  if (const auto* b = service.directory().booking(*id);
      b != nullptr && b->member != std::get<Caller>(caller).key) {
    return forbidden("only the booking's member starts and stops its session");
  }
  auto result = start ? service.start_session(*id, token)
                      : service.stop_session(*id, token, ledger::StopReason::kByUser);
  if (auto* e = std::get_if<ServiceError>(&result)) return fail(*e);
  return ok({{"tx", std::get<ledger::Hash>(result).hex()},
             {"message", start ? "starting; the pile is enabled with the next block"
                               : "stopping; the receipt follows with the next block"}},
            202);
}

// POST /api/v1/service/offchain {"kind": "review" | "response" | "profile", "text": "...",
//   "signer": "<member key>", "signature": "<Ed25519 over offchain_message(text)>"}
// Only members store texts, and each text names who wrote it.

Response put_offchain(SharingService& service, const Request& r) {
  if (service.offchain() == nullptr) return json_error(503, "unavailable", "no off-chain store");
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const json& body = std::get<json>(parsed);
  static const std::map<std::string, ledger::OffchainKind> kKinds = {
      {"profile", ledger::OffchainKind::kProfile},
      {"review", ledger::OffchainKind::kReview},
      {"response", ledger::OffchainKind::kResponse}};
  if (!body.is_object() || !body.contains("kind") || !body["kind"].is_string() ||
      kKinds.count(body["kind"].get<std::string>()) == 0 || !body.contains("text") ||
      !body["text"].is_string() || !body.contains("signer") || !body["signer"].is_string() ||
      !body.contains("signature") || !body["signature"].is_string()) {
    return json_error(422, "invalid_field",
                      "expected {\"kind\": \"review\", \"response\" or \"profile\", \"text\": "
                      "\"...\", \"signer\": \"<member key>\", \"signature\": \"<hex>\"}");
  }
  const std::string& text = body["text"].get_ref<const std::string&>();
  if (text.empty() || text.size() > ledger::kMaxOffchainTextBytes) {
    return json_error(422, "invalid_field",
                      "text: 1 to " + std::to_string(ledger::kMaxOffchainTextBytes) + " bytes");
  }
  auto signer = ledger::PublicKey::from_hex(body["signer"].get<std::string>());
  ledger::Signature signature;
  if (!signer || !ledger::from_hex(body["signature"].get<std::string>(), signature.bytes))
    return json_error(422, "invalid_field", "signer: 64 hex digits; signature: 128 hex digits");
  if (!ledger::verify(*signer, offchain_message(text), signature))
    return json_error(403, "bad_signature", "the signature does not match the text and the signer");
  const ledger::CommittedState view(service.ledger().node().store().state());
  if (!ledger::ServiceReader(view).member(*signer))
    return json_error(403, "not_a_member", "only members store texts here; register first");
  if (!service.offchain()->contains(ledger::sha256(text)) &&
      service.offchain()->texts_stored_today(*signer) >= ledger::kMaxTextsPerMemberPerDay) {
    Response limited =
        json_error(429, "quota",
                   "a member stores at most " + std::to_string(ledger::kMaxTextsPerMemberPerDay) +
                       " texts a day on this gateway; try again tomorrow");
    limited.headers.emplace_back("Retry-After", "3600");
    return limited;
  }
  const ledger::Hash h =
      service.offchain()->put_text(kKinds.at(body["kind"].get<std::string>()), text, &*signer);
  return ok({{"hash", h.hex()}}, 201);
}

// Reviews and answers are public. A profile is its member's (and admins'); a meter series is
// its booking's member's and the pile owner's.
std::optional<Response> check_offchain_reader(MemberAuth& auth, SharingService& service,
                                              const Request& r, const ledger::OffchainRecord& rec) {
  const ledger::Hash& hash = rec.hash;
  const ledger::OffchainKind kind = rec.kind;
  if (kind != ledger::OffchainKind::kProfile && kind != ledger::OffchainKind::kMeterSeries)
    return std::nullopt;
  auto authenticated = authenticate(auth, service, r, false);
  if (auto* e = std::get_if<Response>(&authenticated)) return std::move(*e);
  const Caller& caller = std::get<Caller>(authenticated);
  if (caller.admin) return std::nullopt;
  if (kind == ledger::OffchainKind::kProfile) {
    const ledger::CommittedState view(service.ledger().node().store().state());
    // Its author's, and theirs only: a member who points their profile at another's text
    // does not get to read it.
    const auto m = ledger::ServiceReader(view).member(caller.key);
    if (m && m->profile_hash == hash && rec.author == caller.key) return std::nullopt;
    return forbidden("a profile is shown to its member and admins only");
  }
  auto concerns = [&](const auto& bookings) {
    return std::any_of(bookings.begin(), bookings.end(),
                       [&](const auto& b) { return b.second->meter_chain_hash == hash; });
  };
  if (concerns(service.directory().bookings_of_member(caller.key))) return std::nullopt;
  for (const auto& [id, p] : service.directory().piles()) {
    if (p.record.owner == caller.key && concerns(service.directory().bookings_of_pile(id)))
      return std::nullopt;
  }
  return forbidden("meter values are shown to the session's member and the pile's owner only");
}

Response get_offchain(MemberAuth& auth, SharingService& service, const Request& r) {
  auto hash = ledger::Hash::from_hex(r.params.at("hash"));
  if (!hash) return json_error(400, "invalid_hash", "a hash is 64 hex digits");
  auto rec = service.offchain() ? service.offchain()->get(*hash) : std::nullopt;
  if (!rec) return json_error(404, "not_found", "this gateway holds no record with that hash");
  if (auto denied = check_offchain_reader(auth, service, r, *rec)) return std::move(*denied);
  if (rec->kind == ledger::OffchainKind::kMeterSeries) {
    json values = json::array();
    for (const auto& v : ledger::OffchainStore::decode_meter_series(rec->bytes)
                             .value_or(std::vector<ledger::MeterValue>{}))
      values.push_back({v.time_ms, v.energy_wh});
    return ok({{"kind", "meter_series"}, {"values", std::move(values)}});
  }
  static const char* kNames[] = {"", "profile", "review", "response"};
  return ok({{"kind", kNames[static_cast<int>(rec->kind)]},
             {"text", std::string(rec->bytes.begin(), rec->bytes.end())}});
}

// A top-up request is the business of its member, its payee and admins.
std::optional<Response> check_topup_party(MemberAuth& auth, SharingService& service,
                                          const Request& r, const ledger::Hash& id) {
  auto caller = authenticate(auth, service, r, false);
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  const ledger::CommittedState view(service.ledger().node().store().state());
  const auto t = ledger::ServiceReader(view).topup(id);
  const Caller& c = std::get<Caller>(caller);
  if (t && t->member != c.key && t->payee != c.key && !c.admin)
    return forbidden("only the member who asked for the top-up sees its payment details");
  return std::nullopt;
}

}  // namespace

void register_service_routes(web::Router& router, const ApiContext& context,
                             std::shared_ptr<MemberAuth> auth) {
  SharingService* s = context.service;
  if (s == nullptr) return;
  // Each handler holds the shared sessions.
  router.add("GET", "/api/v1/service/params", [s](const Request&) {
    json j = ledger::service_to_json(s->params());
    j["chain_id"] = s->ledger().node().genesis().chain_id;
    return ok(j);
  });
  router.add("GET", "/api/v1/service/piles", [s](const Request& r) { return search(*s, r); });
  router.add("GET", "/api/v1/service/piles/{id}",
             [s](const Request& r) { return pile_detail(*s, r); });
  router.add("GET", "/api/v1/service/piles/{id}/quote",
             [s](const Request& r) { return quote(*s, r); });
  router.add("GET", "/api/v1/service/piles/{id}/analytics",
             [s, auth](const Request& r) { return analytics(*auth, *s, r); });
  router.add("GET", "/api/v1/service/piles/{id}/bookings",
             [s, auth](const Request& r) { return pile_bookings(*auth, *s, r); });
  router.add("GET", "/api/v1/service/pending",
             [s, auth](const Request& r) { return pending(*auth, *s, r); });
  router.add("GET", "/api/v1/service/members/{key}",
             [s, auth](const Request& r) { return member(*auth, *s, r); });
  router.add("GET", "/api/v1/service/members/{key}/bookings",
             [s, auth](const Request& r) { return member_bookings(*auth, *s, r); });
  router.add("GET", "/api/v1/service/members/{key}/piles",
             [s, auth](const Request& r) { return member_piles(*auth, *s, r); });
  router.add("GET", "/api/v1/service/members/{key}/topups", [s, auth](const Request& r) {
    auto key = key_param(r);
    if (!key) return json_error(400, "invalid_key", "a member key is 64 hex digits");
    auto caller = authenticate_as(*auth, *s, r, *key, "top-ups");
    if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
    json out = json::array();
    for (const auto& [id, t] : s->directory().topups_of_member(*key)) {
      json j = ledger::service_to_json(*t);
      j["id"] = id.hex();
      out.push_back(std::move(j));
    }
    std::sort(out.begin(), out.end(),
              [](const json& a, const json& b) { return a["requested_ms"] > b["requested_ms"]; });
    return ok({{"topups", std::move(out)}, {"currency", s->params().currency}});
  });
  router.add("GET", "/api/v1/service/bookings/{id}",
             [s, auth](const Request& r) { return booking(*auth, *s, r); });
  router.add("GET", "/api/v1/service/bookings/{id}/address", [s, auth](const Request& r) {
    auto id = ledger::Hash::from_hex(r.params.at("id"));
    if (!id) return json_error(400, "invalid_id", "a booking id is 64 hex digits");
    auto caller = authenticate(*auth, *s, r, false);
    if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
    if (const auto* b = s->directory().booking(*id);
        b != nullptr && b->member != std::get<Caller>(caller).key) {
      return forbidden("only the booking's member receives the address");
    }
    auto sealed = s->sealed_address(*id);
    if (auto* e = std::get_if<ServiceError>(&sealed)) return fail(*e);
    const auto& box = std::get<ledger::Bytes>(sealed);
    // The box's public nonce too: a browser without BLAKE2b opens it as a plain crypto_box.
    const auto nonce = ledger::sealed_box_nonce(std::get<Caller>(caller).key, box);
    return ok({{"sealed", ledger::to_hex(box)},
               {"nonce", nonce ? json(ledger::to_hex(*nonce)) : json(nullptr)},
               {"scheme", "libsodium sealed box to the member's Ed25519 key converted to X25519"}});
  });
  router.add("POST", "/api/v1/service/offchain",
             [s](const Request& r) { return put_offchain(*s, r); });
  router.add("GET", "/api/v1/service/offchain/{hash}",
             [s, auth](const Request& r) { return get_offchain(*auth, *s, r); });
  router.add("GET", "/api/v1/service/topup-methods", [s](const Request&) {
    json methods = json::array();
    for (const auto& m : s->top_up_methods().list())
      methods.push_back({{"number", m.number}, {"name", m.name}, {"description", m.description}});
    return ok(
        {{"methods", std::move(methods)}, {"payee", s->ledger().node().key().public_key().hex()}});
  });
  router.add("GET", "/api/v1/service/topups/{id}/instructions", [s, auth](const Request& r) {
    auto id = ledger::Hash::from_hex(r.params.at("id"));
    if (!id) return json_error(400, "invalid_id", "a top-up request id is 64 hex digits");
    if (auto denied = check_topup_party(*auth, *s, r, *id)) return std::move(*denied);
    auto instructions = s->top_up_instructions(*id);
    if (auto* e = std::get_if<ServiceError>(&instructions)) return fail(*e);
    const auto& i = std::get<hal::PaymentInstructions>(instructions);
    return ok({{"summary", i.summary}, {"qr_text", i.qr_text}, {"url", i.url}});
  });
  router.add("GET", "/api/v1/service/topups/{id}/epc", [s, auth](const Request& r) {
    auto id = ledger::Hash::from_hex(r.params.at("id"));
    if (!id) return json_error(400, "invalid_id", "a top-up request id is 64 hex digits");
    if (auto denied = check_topup_party(*auth, *s, r, *id)) return std::move(*denied);
    auto text = s->top_up_epc(*id);
    if (auto* e = std::get_if<ServiceError>(&text)) return fail(*e);
    return ok({{"epc", std::get<std::string>(text)}});
  });
  // A member's RFID card, for booking this gateway's piles with it: the hash to book with.
  router.add("POST", "/api/v1/service/cards", [s, auth](const Request& r) {
    auto caller = authenticate(*auth, *s, r, true);
    if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
    auto parsed = json_body(r);
    if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
    const json& body = std::get<json>(parsed);
    if (!body.is_object() || !body.contains("uid") || !body["uid"].is_string() ||
        body["uid"].get_ref<const std::string&>().empty() ||
        body["uid"].get_ref<const std::string&>().size() > ledger::kMaxTokenBytes) {
      return json_error(422, "invalid_field",
                        "expected {\"uid\": \"<the card's uid as its reader shows it>\"}");
    }
    const std::string token = s->card_token(body["uid"].get_ref<const std::string&>());
    return ok({{"token_hash", ledger::sha256(token).hex()},
               {"gateway_key", s->ledger().node().key().public_key().hex()}});
  });
  router.add("GET", "/api/v1/service/reports",
             [s, auth](const Request& r) { return report(*auth, *s, r); });
  router.add("POST", "/api/v1/service/prepare",
             [s, auth](const Request& r) { return prepare(*auth, *s, r); });
  router.add("POST", "/api/v1/service/sessions/start",
             [s, auth](const Request& r) { return session(*auth, *s, r, true); });
  router.add("POST", "/api/v1/service/sessions/stop",
             [s, auth](const Request& r) { return session(*auth, *s, r, false); });
}

}  // namespace pilemesh::api
