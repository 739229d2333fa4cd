// The sharing service's read endpoints for the web UI's dashboards, through the router as the
// server calls them, on a real ledger in a temporary data folder with member sessions: an
// owner's piles in any status, a pile's bookings for its owner, and the admins' verification
// queue, each answering only whom docs/api.md says.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "caller.hpp"
#include "member_auth.hpp"
#include "pilemesh/api/api.hpp"
#include "pilemesh/gateway/ledger_service.hpp"
#include "pilemesh/gateway/owner_credentials.hpp"
#include "pilemesh/gateway/service_directory.hpp"
#include "pilemesh/gateway/sharing_service.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_node.hpp"
#include "pilemesh/ledger/offchain_store.hpp"
#include "temp_dir.hpp"

namespace pilemesh::api {
namespace {

using nlohmann::json;
constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ledger::KeyPair key(std::uint8_t seed) {
  return ledger::KeyPair::from_seed(std::array<std::uint8_t, 32>{seed});
}

struct ServiceRoutesTest : ::testing::Test {
  ServiceRoutesTest() {
    node_key =
        std::make_unique<ledger::KeyPair>(ledger::KeyPair::load_or_create(dir.path() / "node.key"));
    ledger::Genesis g;
    g.chain_id = "service-routes-test";
    g.time_ms = clock;
    g.validators = {node_key->public_key()};
    g.members = {{node_key->public_key(), ledger::Role::kAdmin},
                 {alice.public_key(), ledger::Role::kEvUser},
                 {bob.public_key(), ledger::Role::kPileOwner}};
    std::sort(g.members.begin(), g.members.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    g.accounts = {{alice.public_key(), 100'000}};
    std::ofstream(dir.path() / "genesis.json") << ledger::genesis_to_json(g);
    config::LedgerSection section;
    section.genesis = dir.path() / "genesis.json";
    ledger = std::make_unique<gateway::LedgerService>(io, dir.path(), section);
    ledger->set_clock([this] { return clock; });
    gateway::PileControl control;
    control.set_enabled = [](const std::string&, bool) { return true; };
    control.energy_wh = [](const std::string&) -> std::optional<std::uint64_t> { return 0; };
    offchain.emplace(ledger::OffchainStore::open(dir.path() / "offchain.db"));
    service = std::make_unique<gateway::SharingService>(io, *ledger, control, "Lindenstrasse 7",
                                                        &*offchain);
    auth = std::make_shared<MemberAuth>([this] { return clock; }, node_key->public_key().hex(),
                                        MemberAuth::Options{});
    context.service = service.get();
    context.owner = std::make_shared<gateway::OwnerCredentials>(dir.path());
    register_service_routes(router, context, auth);
    register_owner_routes(router, context, auth);
    // The gateway's own pile, priced; and Bob's carport, waiting for an attestation.
    ledger->register_own_piles({"drive"}, "u33dc1", "Lindenstrasse 7");
    block();
    ok(*node_key, "set_tariff", {{"pile_id", "drive"}, {"price_per_kwh", 30}});
    ok(bob, "register_pile",
       {{"pile_id", "carport"},
        {"geohash", "u33dc2"},
        {"connectors", {{{"type", 1}, {"max_power_w", 11'000}}}},
        {"phases", 3},
        {"availability", {{{"weekdays", 127}, {"from_minute", 0}, {"to_minute", 1440}}}}});
    block();
  }

  void ok(const ledger::KeyPair& signer, const std::string& type, const json& payload) {
    auto prepared = service->prepare(type, signer.public_key(), payload);
    auto* tx = std::get_if<ledger::Transaction>(&prepared);
    ASSERT_NE(tx, nullptr) << std::get<gateway::ServiceError>(prepared).message;
    tx->signature = signer.sign(ledger::signing_bytes(*tx));
    last_hash = ledger::hash_of(*tx);
    const auto result = ledger->submit(*tx);
    ASSERT_TRUE(result.ok()) << type << ": " << result.log;
  }
  // Commits what waits, as the block timer does, a minute later.
  void block() {
    clock += kMinute;
    if (auto h = ledger->node().engine().produce(clock)) service->on_block(*h);
  }
  // Bob's carport attested by the admin and priced by Bob.
  void open_carport() {
    ok(*node_key, "attest", {{"kind", 2}, {"pile_id", "carport"}});
    block();
    ok(bob, "set_tariff", {{"pile_id", "carport"}, {"price_per_kwh", 25}});
    block();
  }
  ledger::Hash book_carport(std::int64_t from, std::int64_t to) {
    ok(alice, "book",
       {{"pile_id", "carport"},
        {"start_ms", from},
        {"end_ms", to},
        {"token_hash", ledger::sha256("token").hex()},
        {"max_deposit", 1'000'000}});
    return last_hash;
  }

  // A session for `who`: the token its cookie carries.
  std::string login(const ledger::KeyPair& who) {
    const auto nonce = auth->challenge("10.0.0.2");
    const std::string m = MemberAuth::login_message(auth->gateway_key_hex(), *nonce);
    const auto signature =
        who.sign(std::span(reinterpret_cast<const std::uint8_t*>(m.data()), m.size()));
    auto opened = auth->login("10.0.0.2", who.public_key(), *nonce, signature);
    return std::get<MemberAuth::Opened>(opened).token;
  }
  // GET `target` (path and query) in the session of `token` ("" for none).
  web::Response get(const std::string& target, const std::string& token = "") {
    web::Request r;
    r.method = "GET";
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    r.remote_address = "10.0.0.2";
    r.header = [token](std::string_view name) -> std::string {
      return name == "Cookie" && !token.empty() ? "pm_session=" + token : "";
    };
    return router.dispatch(r);
  }
  // POST `body` in the session of `token` with its CSRF token `csrf` (both "" for none).
  web::Response post(const std::string& target, const json& body, const std::string& token = "",
                     const std::string& csrf = "") {
    web::Request r;
    r.method = "POST";
    r.path = target;
    r.body = body.dump();
    r.content_type = "application/json";
    r.remote_address = "10.0.0.3";
    r.header = [token, csrf](std::string_view name) -> std::string {
      if (name == "Cookie" && !token.empty()) return "pm_session=" + token;
      if (name == "X-CSRF-Token") return csrf;
      return "";
    };
    return router.dispatch(r);
  }
  // The session token from an answer's Set-Cookie.
  static std::string cookie_token(const web::Response& r) {
    for (const auto& [name, value] : r.headers)
      if (name == "Set-Cookie") return value.substr(11, 64);  // "pm_session=<64 hex>; ..."
    return "";
  }
  json get_json(const std::string& target, const std::string& token) {
    const auto r = get(target, token);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return json::parse(r.body);
  }
  // The status and error code of an answer that should be refused.
  std::pair<int, std::string> refusal(const std::string& target, const std::string& token) {
    const auto r = get(target, token);
    const json body = json::parse(r.body);
    return {r.status, body.contains("error") ? body["error"]["code"].get<std::string>() : ""};
  }

  std::int64_t clock = now_ms() - 3 * kHour;  // the ledger's and the sessions' clock
  pilemesh::test::TempDir dir;
  boost::asio::io_context io;
  ledger::KeyPair alice = key(3), bob = key(4), carol = key(5), dave = key(6);
  std::unique_ptr<ledger::KeyPair> node_key;
  std::unique_ptr<gateway::LedgerService> ledger;
  std::optional<ledger::OffchainStore> offchain;
  std::unique_ptr<gateway::SharingService> service;
  std::shared_ptr<MemberAuth> auth;
  ApiContext context;
  web::Router router;
  ledger::Hash last_hash;
};

std::vector<std::string> ids(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list)
    out.push_back(item.contains("id") ? item["id"].get<std::string>()
                                      : item["key"].get<std::string>());
  return out;
}

// Search lists only verified piles with a tariff; the owner's own list has every pile of theirs,
// with its status, spec, tariff and live state, as the pile details show them.
TEST_F(ServiceRoutesTest, AnOwnerSeesEveryPileOfTheirsInAnyStatus) {
  const std::string bobs = "/api/v1/service/members/" + bob.public_key().hex() + "/piles";
  const std::string bob_session = login(bob);
  EXPECT_EQ(ids(get_json("/api/v1/service/piles", bob_session)["piles"]),
            std::vector<std::string>{"drive"});
  json piles = get_json(bobs, bob_session)["piles"];
  ASSERT_EQ(ids(piles), std::vector<std::string>{"carport"});
  EXPECT_EQ(piles[0]["owner"], bob.public_key().hex());
  EXPECT_EQ(piles[0]["status"], 1);  // pending
  EXPECT_EQ(piles[0]["has_tariff"], false);
  EXPECT_EQ(piles[0]["geohash"], "u33dc2");
  EXPECT_EQ(piles[0]["phases"], 3);
  EXPECT_EQ(piles[0]["connectors"], json::parse(R"([{"type": 1, "max_power_w": 11000}])"));
  EXPECT_EQ(piles[0]["availability"].size(), 1u);
  EXPECT_EQ(piles[0]["amenities"], 0);
  EXPECT_EQ(piles[0]["taken"], json::array());
  // The sealed address (public ciphertext) comes back to its owner to resend with an update.
  EXPECT_EQ(piles[0]["sealed_address"], "");
  EXPECT_FALSE(piles[0].contains("live"));  // its gateway has announced nothing

  open_carport();
  piles = get_json(bobs, bob_session)["piles"];
  EXPECT_EQ(piles[0]["status"], 2);  // verified
  EXPECT_EQ(piles[0]["has_tariff"], true);
  EXPECT_EQ(piles[0]["price_per_kwh"], 25);

  // The gateway's own pile, once announced, shows its live state.
  gateway::PileState drive;
  drive.id = "drive";
  drive.health.online = true;
  drive.status[1].state = hal::ConnectorState::kAvailable;
  ASSERT_TRUE(service->update_pile_status(drive).has_value());
  const std::string admin = login(*node_key);
  piles = get_json("/api/v1/service/members/" + node_key->public_key().hex() + "/piles",
                   admin)["piles"];
  ASSERT_EQ(ids(piles), std::vector<std::string>{"drive"});
  EXPECT_EQ(piles[0]["live"]["status"], "available");

  // Bob's list is his and the admins' only.
  EXPECT_EQ(ids(get_json(bobs, admin)["piles"]), std::vector<std::string>{"carport"});
  EXPECT_EQ(refusal(bobs, login(alice)), std::make_pair(403, std::string("forbidden")));
  EXPECT_EQ(refusal(bobs, ""), std::make_pair(401, std::string("not_logged_in")));
  EXPECT_EQ(refusal("/api/v1/service/members/bob/piles", bob_session),
            std::make_pair(400, std::string("invalid_key")));
  // A member who owns nothing has an empty list.
  const std::string alices = "/api/v1/service/members/" + alice.public_key().hex() + "/piles";
  EXPECT_EQ(get_json(alices, admin)["piles"], json::array());
}

// A pile's bookings, newest first, in any status, within a window when asked: for its owner's
// calendar, and for admins.
TEST_F(ServiceRoutesTest, APilesBookingsAnswerItsOwnerNewestFirst) {
  open_carport();
  // Alice's profile names her; the owner of the pile she books sees that name, nothing else.
  const ledger::Hash profile =
      offchain->put_text(ledger::OffchainKind::kProfile,
                         R"({"name": "Alice", "phone": "+49 30 1234"})", &alice.public_key());
  ok(alice, "update_profile", {{"profile_hash", profile.hex()}});
  block();
  const std::int64_t early = clock + kHour, late = clock + 3 * kHour;
  const ledger::Hash first = book_carport(early, early + 30 * kMinute);
  block();
  const ledger::Hash second = book_carport(late, late + 30 * kMinute);
  block();
  ok(alice, "cancel_booking", {{"booking", first.hex()}});
  block();

  const std::string path = "/api/v1/service/piles/carport/bookings";
  const std::string bob_session = login(bob);
  const json bookings = get_json(path, bob_session)["bookings"];
  ASSERT_EQ(ids(bookings), (std::vector<std::string>{second.hex(), first.hex()}));
  EXPECT_EQ(bookings[0]["member"], alice.public_key().hex());
  EXPECT_EQ(bookings[0]["member_name"], "Alice");
  EXPECT_EQ(bookings[0].dump().find("+49"), std::string::npos);
  EXPECT_EQ(bookings[0]["pile_id"], "carport");
  EXPECT_EQ(bookings[0]["start_ms"], late);
  EXPECT_EQ(bookings[0]["end_ms"], late + 30 * kMinute);
  EXPECT_EQ(bookings[0]["status"], 1);  // booked
  EXPECT_GT(bookings[0]["escrow"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(bookings[0]["energy_wh"], 0);
  EXPECT_EQ(bookings[0]["cost"], 0);
  EXPECT_EQ(bookings[1]["status"], 4);  // cancelled, still listed

  // A window keeps the bookings whose slot meets [from_ms, to_ms).
  EXPECT_EQ(ids(get_json(path + "?from_ms=" + std::to_string(early + 30 * kMinute),
                         bob_session)["bookings"]),
            std::vector<std::string>{second.hex()});
  EXPECT_EQ(ids(get_json(path + "?to_ms=" + std::to_string(late), bob_session)["bookings"]),
            std::vector<std::string>{first.hex()});
  EXPECT_EQ(ids(get_json(path + "?from_ms=" + std::to_string(early) +
                             "&to_ms=" + std::to_string(late + 1),
                         bob_session)["bookings"])
                .size(),
            2u);
  EXPECT_EQ(refusal(path + "?from_ms=10&to_ms=10", bob_session),
            std::make_pair(400, std::string("invalid_parameter")));
  EXPECT_EQ(refusal(path + "?from_ms=soon", bob_session),
            std::make_pair(400, std::string("invalid_parameter")));

  // The owner and admins only; the booking member sees hers through her own list.
  EXPECT_EQ(get_json(path, login(*node_key))["bookings"].size(), 2u);
  EXPECT_EQ(refusal(path, login(alice)), std::make_pair(403, std::string("forbidden")));
  EXPECT_EQ(refusal(path, ""), std::make_pair(401, std::string("not_logged_in")));
  EXPECT_EQ(refusal("/api/v1/service/piles/shed/bookings", bob_session),
            std::make_pair(404, std::string("not_found")));
  EXPECT_EQ(get_json("/api/v1/service/piles/drive/bookings", login(*node_key))["bookings"],
            json::array());
}

// Every endpoint about one member's bookings, wallet and profile: another member is refused
// and a visitor without a session is asked to log in; what changes state also needs the
// session's CSRF token.
TEST_F(ServiceRoutesTest, NoMemberReadsOrChangesAnothersBookingsWalletOrProfile) {
  open_carport();
  const ledger::Hash profile = offchain->put_text(ledger::OffchainKind::kProfile,
                                                  R"({"name": "Alice"})", &alice.public_key());
  ok(alice, "update_profile", {{"profile_hash", profile.hex()}});
  ok(alice, "request_top_up",
     {{"amount", 5000}, {"method", 1}, {"payee", node_key->public_key().hex()}});
  const ledger::Hash topup = last_hash;
  ok(carol, "register_member", {{"role", 1}});
  block();
  const ledger::Hash booking = book_carport(clock + kHour, clock + 2 * kHour);
  block();

  const std::string a = alice.public_key().hex();
  const std::vector<std::string> hers = {
      "/api/v1/service/members/" + a + "/bookings",
      "/api/v1/service/members/" + a + "/topups",
      "/api/v1/service/bookings/" + booking.hex(),
      "/api/v1/service/bookings/" + booking.hex() + "/address",
      "/api/v1/service/topups/" + topup.hex() + "/instructions",
      "/api/v1/service/topups/" + topup.hex() + "/epc",
      "/api/v1/service/offchain/" + profile.hex(),
  };
  // Carol points her own profile at Alice's text: that does not make it hers to read.
  ok(carol, "update_profile", {{"profile_hash", profile.hex()}});
  block();
  const std::string carol_session = login(carol), alice_session = login(alice);
  for (const auto& path : hers) {
    EXPECT_EQ(refusal(path, carol_session), std::make_pair(403, std::string("forbidden"))) << path;
    EXPECT_EQ(refusal(path, ""), std::make_pair(401, std::string("not_logged_in"))) << path;
    // Alice herself passes the check (the address then answers that another gateway runs the
    // carport, the EPC code that no IBAN is configured: not refusals of her).
    const int status = get(path, alice_session).status;
    EXPECT_NE(status, 401) << path;
    EXPECT_NE(status, 403) << path;
  }
  // Everyone sees a member's standing; only she (and admins) her wallet.
  EXPECT_FALSE(get_json("/api/v1/service/members/" + a, carol_session).contains("balance"));
  EXPECT_FALSE(get_json("/api/v1/service/members/" + a, "").contains("balance"));
  // Her wallet less the booking's deposit held in escrow (the top-up is not confirmed yet).
  const json mine = get_json("/api/v1/service/members/" + a, alice_session);
  EXPECT_EQ(mine["balance"].get<std::int64_t>() + mine["escrow"].get<std::int64_t>(), 100'000);

  // Changes: Carol cannot start or stop Alice's session, nor prepare her transactions.
  const auto opened = [&](const ledger::KeyPair& who) {
    const auto nonce = auth->challenge("10.0.0.3");
    const std::string m = MemberAuth::login_message(auth->gateway_key_hex(), *nonce);
    const auto sig = who.sign(std::span(reinterpret_cast<const std::uint8_t*>(m.data()), m.size()));
    return std::get<MemberAuth::Opened>(auth->login("10.0.0.3", who.public_key(), *nonce, sig));
  };
  const auto carol_open = opened(carol), alice_open = opened(alice);
  const json session_body{{"booking", booking.hex()}, {"token", "token"}};
  for (const char* path : {"/api/v1/service/sessions/start", "/api/v1/service/sessions/stop"}) {
    EXPECT_EQ(post(path, session_body, carol_open.token, carol_open.session.csrf).status, 403)
        << path;
  }
  EXPECT_EQ(
      post("/api/v1/service/prepare",
           {{"type", "cancel_booking"}, {"signer", a}, {"payload", {{"booking", booking.hex()}}}},
           carol_open.token, carol_open.session.csrf)
          .status,
      403);
  // Alice's own session without its CSRF token changes nothing either.
  for (const auto& [path, body] : std::vector<std::pair<std::string, json>>{
           {"/api/v1/service/sessions/start", session_body},
           {"/api/v1/service/sessions/stop", session_body},
           {"/api/v1/service/cards", {{"uid", "04a1b2c3"}}},
           {"/api/v1/service/prepare",
            {{"type", "cancel_booking"}, {"signer", a}, {"payload", {{"booking", booking.hex()}}}}},
       }) {
    const auto r = post(path, body, alice_open.token, "");
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_NE(r.body.find("csrf"), std::string::npos) << path;
  }
  EXPECT_EQ(service->directory().booking(booking)->status, ledger::BookingStatus::kBooked);
}

// The verification queue lists who and what waits for attestation, follows the blocks (an
// attested or rejected member leaves it, one attestation of two does not), is the same when
// loaded afresh from the state, and answers admins only.
TEST_F(ServiceRoutesTest, ThePendingQueueFollowsTheBlocksForAdmins) {
  ok(carol, "register_member", {{"role", 1}});
  block();
  ok(dave, "register_member", {{"role", 2}, {"profile_hash", std::string(64, 'a')}});
  block();
  const std::string path = "/api/v1/service/pending";
  const std::string admin = login(*node_key);
  json queue = get_json(path, admin);
  ASSERT_EQ(ids(queue["members"]),
            (std::vector<std::string>{carol.public_key().hex(), dave.public_key().hex()}));
  EXPECT_EQ(queue["members"][1]["role"], 2);
  EXPECT_EQ(queue["members"][1]["status"], 1);
  EXPECT_EQ(queue["members"][1]["profile_hash"], std::string(64, 'a'));
  EXPECT_LT(queue["members"][0]["joined_ms"], queue["members"][1]["joined_ms"]);
  ASSERT_EQ(ids(queue["piles"]), std::vector<std::string>{"carport"});
  EXPECT_EQ(queue["piles"][0]["owner"], bob.public_key().hex());
  EXPECT_EQ(queue["piles"][0]["geohash"], "u33dc2");

  // The directory loaded from the state has the same queue.
  const gateway::ServiceDirectory fresh(ledger->node().store().state());
  std::vector<ledger::PublicKey> waiting;
  for (const auto& [k, m] : fresh.pending_members()) waiting.push_back(k);
  EXPECT_EQ(waiting, (std::vector<ledger::PublicKey>{carol.public_key(), dave.public_key()}));

  // Bob's attestation is one of the two Dave needs: he still waits, with Bob named.
  ok(bob, "attest", {{"kind", 1}, {"member", dave.public_key().hex()}});
  block();
  queue = get_json(path, admin);
  EXPECT_EQ(queue["members"].size(), 2u);
  EXPECT_EQ(queue["members"][1]["attesters"], json::array({bob.public_key().hex()}));
  // The admin attests Carol and the carport and rejects Dave: nothing waits any more.
  ok(*node_key, "attest", {{"kind", 1}, {"member", carol.public_key().hex()}});
  ok(*node_key, "attest", {{"kind", 2}, {"pile_id", "carport"}});
  ok(*node_key, "reject",
     {{"kind", 1}, {"member", dave.public_key().hex()}, {"reason", "unknown"}});
  block();
  queue = get_json(path, admin);
  EXPECT_EQ(queue["members"], json::array());
  EXPECT_EQ(queue["piles"], json::array());

  EXPECT_EQ(refusal(path, login(bob)), std::make_pair(403, std::string("forbidden")));
  EXPECT_EQ(refusal(path, login(carol)), std::make_pair(403, std::string("forbidden")));
  EXPECT_EQ(refusal(path, ""), std::make_pair(401, std::string("not_logged_in")));
}

// The list view of search carries what a result list shows, and the pile's back-pointers are
// in its details for the next rating to point at.
TEST_F(ServiceRoutesTest, SearchHasALeanListView) {
  open_carport();
  const json full = get_json("/api/v1/service/piles?near=u33dc1", "")["piles"];
  const json list = get_json("/api/v1/service/piles?near=u33dc1&view=list", "")["piles"];
  ASSERT_EQ(ids(list), ids(full));
  ASSERT_EQ(list.size(), 2u);
  for (std::size_t i = 0; i < list.size(); ++i) {
    for (const char* field : {"id", "owner", "connectors", "max_power_w", "price_per_kwh",
                              "ratings", "point", "distance_m", "estimate", "wait_ms"})
      EXPECT_EQ(list[i][field], full[i][field]) << field;
    EXPECT_FALSE(list[i].contains("availability"));
    EXPECT_LT(list[i].dump().size(), full[i].dump().size());
  }
  EXPECT_EQ(refusal("/api/v1/service/piles?view=tiny", ""),
            std::make_pair(400, std::string("invalid_parameter")));
  const json drive = get_json("/api/v1/service/piles/drive", "");
  EXPECT_EQ(drive["last_evaluation"], ledger::Hash{}.hex());
  EXPECT_FALSE(drive.contains("rating_average"));  // not rated yet
}

std::string error_code(const web::Response& r) {
  const json body = json::parse(r.body);
  return body.contains("error") ? body["error"]["code"].get<std::string>() : "";
}

// The first-run wizard: the setup code opens it once and sets the owner's password; then the
// password signs the owner in, as the gateway's key, whose transactions the gateway signs.
TEST_F(ServiceRoutesTest, TheOwnerSetsUpWithTheCodeThenSignsInWithThePassword) {
  EXPECT_EQ(get_json("/api/v1/setup", "")["needed"], true);
  const std::string code = context.owner->setup_code();
  auto r = post("/api/v1/setup/owner", {{"code", "WRONG-CODE0"}, {"password", "correct horse"}});
  EXPECT_EQ(std::make_pair(r.status, error_code(r)), std::make_pair(403, std::string("bad_code")));
  r = post("/api/v1/setup/owner", {{"code", code}, {"password", "short"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_FALSE(context.owner->has_password());
  r = post("/api/v1/setup/owner", {{"code", code}, {"password", "correct horse"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["member"], node_key->public_key().hex());
  EXPECT_EQ(json::parse(r.body)["admin"], true);
  EXPECT_EQ(get_json("/api/v1/setup", "")["needed"], false);
  // Once set up, the code is spent.
  r = post("/api/v1/setup/owner", {{"code", code}, {"password", "another password"}});
  EXPECT_EQ(std::make_pair(r.status, error_code(r)), std::make_pair(409, std::string("set_up")));

  r = post("/api/v1/auth/owner", {{"password", "correct horsE"}});
  EXPECT_EQ(std::make_pair(r.status, error_code(r)),
            std::make_pair(401, std::string("bad_password")));
  r = post("/api/v1/auth/owner", {{"password", "correct horse"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string token = cookie_token(r);
  const std::string csrf = json::parse(r.body)["csrf"];

  // The gateway signs the owner's prepared transaction, which then commits.
  auto prepared = service->prepare("set_tariff", node_key->public_key(),
                                   {{"pile_id", "drive"}, {"price_per_kwh", 41}});
  const auto& tx = std::get<ledger::Transaction>(prepared);
  const std::string tx_hex = ledger::to_hex(ledger::encode(tx));
  EXPECT_EQ(post("/api/v1/owner/sign", {{"tx", tx_hex}}, token, "").status, 403);  // no CSRF
  r = post("/api/v1/owner/sign", {{"tx", tx_hex}}, token, csrf);
  ASSERT_EQ(r.status, 200) << r.body;
  ledger::Transaction signed_tx = tx;
  ASSERT_TRUE(ledger::from_hex(json::parse(r.body)["signature"].get<std::string>(),
                               signed_tx.signature.bytes));
  ASSERT_TRUE(ledger->submit(signed_tx).ok());
  block();
  EXPECT_EQ(get_json("/api/v1/service/piles/drive", "")["price_per_kwh"], 41);
  // An off-chain text, signed in its own domain.
  r = post("/api/v1/owner/sign", {{"offchain_text", "Thanks!"}}, token, csrf);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["signer"], node_key->public_key().hex());

  // Nobody else gets the gateway's signature: not a member, and not for another signer's tx.
  const std::string alice_session = login(alice);
  const std::string alice_csrf = auth->find(alice_session)->csrf;
  r = post("/api/v1/owner/sign", {{"tx", tx_hex}}, alice_session, alice_csrf);
  EXPECT_EQ(std::make_pair(r.status, error_code(r)), std::make_pair(403, std::string("forbidden")));
  EXPECT_NE(r.body.find("only the owner of this gateway"), std::string::npos);
  auto alices = service->prepare("transfer", alice.public_key(),
                                 {{"to", bob.public_key().hex()}, {"amount", 1}});
  r = post("/api/v1/owner/sign",
           {{"tx", ledger::to_hex(ledger::encode(std::get<ledger::Transaction>(alices)))}}, token,
           csrf);
  EXPECT_EQ(std::make_pair(r.status, error_code(r)), std::make_pair(403, std::string("forbidden")));
  // Nor what the gateway attests itself: a session's start or stop, with its meter readings.
  ledger::Transaction stop;
  stop.chain_id = tx.chain_id;
  stop.type = ledger::TxType::kStopSession;
  stop.signer = node_key->public_key();
  stop.nonce = tx.nonce + 1;
  r = post("/api/v1/owner/sign", {{"tx", ledger::to_hex(ledger::encode(stop))}}, token, csrf);
  EXPECT_EQ(std::make_pair(r.status, error_code(r)), std::make_pair(403, std::string("forbidden")));
  EXPECT_NE(r.body.find("stop_session"), std::string::npos);
  r = post("/api/v1/owner/sign", {{"tx", "zz"}}, token, csrf);
  EXPECT_EQ(r.status, 400);
  r = post("/api/v1/owner/sign", {{"something", 1}}, token, csrf);
  EXPECT_EQ(r.status, 422);
}

// A password can be guessed: its attempts have their own, far lower limit, apart from the
// members' key logins.
TEST_F(ServiceRoutesTest, OwnerPasswordGuessesAreFewPerMinute) {
  ASSERT_EQ(context.owner->set_password("correct horse"), "");
  for (int i = 0; i < 5; ++i) {
    const auto r = post("/api/v1/auth/owner", {{"password", "guess " + std::to_string(i)}});
    EXPECT_EQ(r.status, 401) << i;
  }
  auto r = post("/api/v1/auth/owner", {{"password", "correct horse"}});
  EXPECT_EQ(std::make_pair(r.status, error_code(r)),
            std::make_pair(429, std::string("rate_limited")));
  login(alice);  // members' logins are not held up by it
  clock += kMinute;
  r = post("/api/v1/auth/owner", {{"password", "correct horse"}});
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace pilemesh::api
