// The sharing service inside the daemon, on a real ledger in a temporary data folder: the read
// model follows the blocks, prepared transactions count what waits, the gateway refuses
// sessions it should not start, seals the address to the booked member only, keeps an offered
// pile off outside sessions, and marks no-shows on its own.
#include "pilemesh/gateway/sharing_service.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <fstream>

#include "pilemesh/gateway/analytics.hpp"
#include "pilemesh/gateway/pile_search.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/pricing.hpp"
#include "pilemesh/ledger/service_codec.hpp"
#include "temp_dir.hpp"

namespace pilemesh::gateway {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct SharingServiceTest : ::testing::Test {
  SharingServiceTest() {
    node_key =
        std::make_unique<ledger::KeyPair>(ledger::KeyPair::load_or_create(dir.path() / "node.key"));
    ledger::Genesis g;
    g.chain_id = "service-test";
    g.time_ms = start - 3 * kHour;
    g.validators = {node_key->public_key()};
    g.members = {{node_key->public_key(), ledger::Role::kAdmin},
                 {alice.public_key(), ledger::Role::kEvUser}};
    std::sort(g.members.begin(), g.members.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    g.accounts = {{alice.public_key(), 100'000}};
    std::ofstream(dir.path() / "genesis.json") << ledger::genesis_to_json(g);
    config::LedgerSection section;
    section.genesis = dir.path() / "genesis.json";
    ledger = std::make_unique<LedgerService>(io, dir.path(), section);
    ledger->set_clock([this] { return clock; });
    PileControl control;
    control.set_enabled = [this](const std::string& pile, bool on) {
      enabled_calls.emplace_back(pile, on);
      return true;
    };
    control.energy_wh = [this](const std::string&) -> std::optional<std::uint64_t> {
      return meter;
    };
    service = std::make_unique<SharingService>(io, *ledger, control, "Lindenstrasse 7");
    ledger->register_own_piles({"drive"}, "u33dc1", "Lindenstrasse 7");
    block(start - 3 * kHour + kMinute);
    ledger::Tariff t;
    t.price_per_kwh = 30;
    t.no_show_fee = 300;
    send(*node_key, "set_tariff",
         {{"pile_id", "drive"}, {"price_per_kwh", 30}, {"no_show_fee", 300}});
    block(start - 3 * kHour + 2 * kMinute);
  }

  ledger::TxResult send(const ledger::KeyPair& key, const std::string& type,
                        const nlohmann::json& payload) {
    auto prepared = service->prepare(type, key.public_key(), payload);
    auto* tx = std::get_if<ledger::Transaction>(&prepared);
    if (tx == nullptr)
      return {ledger::TxCode::kInvalidPayload, std::get<ServiceError>(prepared).message};
    tx->signature = key.sign(ledger::signing_bytes(*tx));
    last_hash = ledger::hash_of(*tx);
    return ledger->submit(*tx);
  }
  void block(std::int64_t at) {
    clock = std::max(clock, at);
    if (auto h = ledger->node().engine().produce(at)) service->on_block(*h);
  }
  ledger::Hash book(std::int64_t from, std::int64_t to, const std::string& token, std::int64_t at) {
    EXPECT_TRUE(send(alice, "book",
                     {{"pile_id", "drive"},
                      {"start_ms", from},
                      {"end_ms", to},
                      {"token_hash", ledger::sha256(token).hex()},
                      {"max_deposit", 1'000'000}})
                    .ok());
    const ledger::Hash id = last_hash;
    block(at);
    return id;
  }

  const std::int64_t start = now_ms();
  std::int64_t clock = start - 3 * kHour;  // the service's and the ledger's clock
  pilemesh::test::TempDir dir;
  boost::asio::io_context io;
  ledger::KeyPair alice = ledger::KeyPair::from_seed(std::array<std::uint8_t, 32>{3});
  std::unique_ptr<ledger::KeyPair> node_key;
  std::unique_ptr<LedgerService> ledger;
  std::unique_ptr<SharingService> service;
  std::vector<std::pair<std::string, bool>> enabled_calls;
  std::optional<std::uint64_t> meter = 5000;
  ledger::Hash last_hash;
};

TEST_F(SharingServiceTest, ReadModelFollowsTheBlocks) {
  const PileView* pile = service->directory().pile("drive");
  ASSERT_NE(pile, nullptr);
  EXPECT_EQ(pile->info.status, ledger::MemberStatus::kVerified);  // an admin's pile
  EXPECT_TRUE(pile->info.has_tariff);
  // The address is on the ledger only sealed to the gateway's own key.
  EXPECT_EQ(node_key->unseal(pile->info.spec.sealed_address).value(),
            std::vector<std::uint8_t>(
                {'L', 'i', 'n', 'd', 'e', 'n', 's', 't', 'r', 'a', 's', 's', 'e', ' ', '7'}));
  // Two prepared transactions of one signer get consecutive nonces before any block.
  auto a = service->prepare("transfer", alice.public_key(),
                            {{"to", node_key->public_key().hex()}, {"amount", 1}});
  ASSERT_TRUE(std::holds_alternative<ledger::Transaction>(a));
  auto& tx = std::get<ledger::Transaction>(a);
  tx.signature = alice.sign(ledger::signing_bytes(tx));
  ASSERT_TRUE(ledger->submit(tx).ok());
  auto b = service->prepare("transfer", alice.public_key(),
                            {{"to", node_key->public_key().hex()}, {"amount", 1}});
  EXPECT_EQ(std::get<ledger::Transaction>(b).nonce, tx.nonce + 1);
}

// Search ranks by distance from where the neighbour stands, keeps the nearest `limit`, and
// without a place lists by id.
TEST_F(SharingServiceTest, SearchRanksTheNearestFirst) {
  // "drive" is at u33dc1; the gateway adds a pile in the next cell and one a few streets away.
  ledger->register_own_piles({"next"}, "u33dc4", "");
  block(clock + kMinute);
  ledger->register_own_piles({"a-street-away"}, "u33d8x", "");
  block(clock + kMinute);
  for (const char* id : {"next", "a-street-away"})
    ASSERT_TRUE(send(*node_key, "set_tariff", {{"pile_id", id}, {"price_per_kwh", 30}}).ok());
  block(clock + kMinute);

  const auto ids = [](const std::vector<PileHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.pile->id);
    return out;
  };
  PileQuery q;
  q.near = geohash_center("u33dc1");
  auto hits = search_piles(service->directory(), q, clock, 0);
  ASSERT_EQ(ids(hits), (std::vector<std::string>{"drive", "next", "a-street-away"}));
  EXPECT_NEAR(hits[0].distance_m.value(), 0, 1e-6);
  const double next_m = distance_m(*q.near, *geohash_center("u33dc4"));
  EXPECT_NEAR(hits[1].distance_m.value(), next_m, 1e-6);
  EXPECT_GT(hits[2].distance_m.value(), next_m);
  EXPECT_EQ(hits[0].estimate,
            ledger::booking_deposit(hits[0].pile->info.tariff, hits[0].pile->info.spec, clock,
                                    clock + kHour));

  q.limit = 2;
  EXPECT_EQ(ids(search_piles(service->directory(), q, clock, 0)),
            (std::vector<std::string>{"drive", "next"}));
  q.limit = 50;
  q.max_distance_m = next_m + 1;
  EXPECT_EQ(ids(search_piles(service->directory(), q, clock, 0)),
            (std::vector<std::string>{"drive", "next"}));
  q.max_distance_m = next_m - 1;
  EXPECT_EQ(ids(search_piles(service->directory(), q, clock, 0)),
            (std::vector<std::string>{"drive"}));

  // Nobody has rated them yet: a least rating keeps none of them.
  q.max_distance_m.reset();
  q.min_rating_milli = 1000;
  EXPECT_TRUE(search_piles(service->directory(), q, clock, 0).empty());
  EXPECT_FALSE(service->directory().rating_average_milli("drive"));

  PileQuery anywhere;
  EXPECT_EQ(ids(search_piles(service->directory(), anywhere, clock, 0)),
            (std::vector<std::string>{"a-street-away", "drive", "next"}));
}

// Reports by member groups show a group only when it has at least five members: smaller ones
// are pooled as "other", and dropped when that is still smaller.
TEST_F(SharingServiceTest, MemberReportsHideGroupsOfFewerThanFive) {
  std::vector<ledger::KeyPair> neighbours;
  for (std::uint8_t i = 0; i < 4; ++i)
    neighbours.push_back(ledger::KeyPair::from_seed(std::array<std::uint8_t, 32>{50, i}));
  std::int64_t t = start - 3 * kHour + 3 * kMinute;
  // Four EV users, and one who owns a pile elsewhere.
  const ledger::KeyPair& other_owner =
      neighbours.emplace_back(ledger::KeyPair::from_seed(std::array<std::uint8_t, 32>{50, 9}));
  for (const auto& n : neighbours) {
    ASSERT_TRUE(send(n, "register_member", {{"role", &n == &other_owner ? 2 : 1}}).ok());
    ASSERT_TRUE(send(alice, "transfer", {{"to", n.public_key().hex()}, {"amount", 10'000}}).ok());
  }
  block(t += kMinute);
  for (const auto& n : neighbours)
    ASSERT_TRUE(send(*node_key, "attest", {{"kind", 1}, {"member", n.public_key().hex()}}).ok());
  block(t += kMinute);
  std::int64_t slot = start + kHour;
  auto book_as = [&](const ledger::KeyPair& who) {
    const auto r = send(who, "book",
                        {{"pile_id", "drive"},
                         {"start_ms", slot},
                         {"end_ms", slot + 30 * kMinute},
                         {"token_hash", ledger::sha256(who.public_key().hex()).hex()},
                         {"max_deposit", 1'000'000}});
    ASSERT_TRUE(r.ok()) << r.log;
    slot += kHour;
  };
  auto report = [&](const std::string& group_by) {
    ReportQuery q;
    q.metric = "bookings";
    q.group_by = group_by;
    std::string error;
    auto rows = run_report(service->directory(), q, 0, error);
    EXPECT_TRUE(rows.has_value()) << error;
    std::map<std::string, double> out;
    for (const auto& row : rows.value_or(std::vector<ReportRow>{})) out[row.group] = row.value;
    return out;
  };
  // Four EV users and the other owner have booked: no group reaches five members.
  for (const auto& n : neighbours) book_as(n);
  block(t += kMinute);
  // Pooled, they are five: they show as "other" only.
  EXPECT_EQ(report("member_role"), (std::map<std::string, double>{{"other", 5}}));
  // In one group they are five too.
  EXPECT_EQ(report("member_experience"), (std::map<std::string, double>{{"1 session or none", 5}}));
  // A fifth EV user books twice: the EV users show; the other owner alone is still hidden.
  book_as(alice);
  book_as(alice);
  block(t += kMinute);
  EXPECT_EQ(report("member_role"), (std::map<std::string, double>{{"ev_user", 6}}));
  // Per pile, the groups are the piles themselves and nothing is pooled.
  EXPECT_EQ(report("pile"), (std::map<std::string, double>{{"drive", 7}}));
  ReportQuery bad;
  bad.metric = "bookings";
  bad.group_by = "member_age";
  std::string error;
  EXPECT_FALSE(run_report(service->directory(), bad, 0, error).has_value());
  EXPECT_NE(error.find("member_role"), std::string::npos);
}

// The live status of the gateway's own pile is announced when it changes, signed by the
// gateway's key; a peer's announcement is kept only when the pile's owner signed it, it is
// intact, and newer than the one held.
TEST_F(SharingServiceTest, LiveStatusIsAnnouncedSignedAndCheckedFromPeers) {
  PileState pile;
  pile.id = "drive";
  pile.health.online = true;
  pile.status[1].state = hal::ConnectorState::kAvailable;
  auto first = service->update_pile_status(pile);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, PileAvailability::kAvailable);
  EXPECT_EQ(first->signer, node_key->public_key());
  EXPECT_TRUE(verify_pile_status(*first, "service-test"));
  EXPECT_FALSE(verify_pile_status(*first, "another-chain"));
  EXPECT_FALSE(service->update_pile_status(pile).has_value());  // unchanged: nothing to send
  pile.status[1].state = hal::ConnectorState::kCharging;
  EXPECT_EQ(service->update_pile_status(pile)->status, PileAvailability::kOccupied);
  pile.status[2].state = hal::ConnectorState::kFaulted;
  EXPECT_EQ(service->update_pile_status(pile)->status, PileAvailability::kFaulted);
  pile.health.online = false;
  EXPECT_EQ(service->update_pile_status(pile)->status, PileAvailability::kOffline);
  // Unchanged, it is renewed before peers would drop it as too old.
  clock += kPileStatusMaxAgeMs / 2 + 1;
  EXPECT_EQ(service->update_pile_status(pile)->status, PileAvailability::kOffline);
  EXPECT_FALSE(service->update_pile_status(pile).has_value());
  PileState stranger;
  stranger.id = "not-ours";
  EXPECT_FALSE(service->update_pile_status(stranger).has_value());

  // The wire form round-trips; a cut or extended one is refused with the field named.
  const auto held = *service->pile_status("drive");
  std::string error;
  const auto bytes = encode(held);
  const auto back = decode_pile_status(bytes, error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(encode(*back), bytes);
  EXPECT_FALSE(decode_pile_status(std::span(bytes).first(bytes.size() - 1), error));
  EXPECT_NE(error.find("signature"), std::string::npos) << error;
  auto longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(decode_pile_status(longer, error));

  // From peers.
  clock += kMinute;
  std::string why;
  auto newer = sign_pile_status(ledger::FileKeyStore(*node_key), "service-test", "drive",
                                PileAvailability::kAvailable, clock);
  auto forged = sign_pile_status(ledger::FileKeyStore(alice), "service-test", "drive",
                                 PileAvailability::kOccupied, clock);
  EXPECT_FALSE(service->accept_pile_status(forged, why));
  EXPECT_EQ(why, "signed by a key that does not own the pile");
  auto tampered = newer;
  tampered.status = PileAvailability::kFaulted;
  EXPECT_FALSE(service->accept_pile_status(tampered, why));
  EXPECT_EQ(why, "the signature does not match");
  auto future = sign_pile_status(ledger::FileKeyStore(*node_key), "service-test", "drive",
                                 PileAvailability::kFaulted, clock + 10 * kMinute);
  EXPECT_FALSE(service->accept_pile_status(future, why));
  EXPECT_EQ(why, "from the future");
  auto stale = sign_pile_status(ledger::FileKeyStore(*node_key), "service-test", "drive",
                                PileAvailability::kAvailable, clock - kPileStatusMaxAgeMs - 1);
  EXPECT_FALSE(service->accept_pile_status(stale, why));
  EXPECT_EQ(why, "too old to tell the pile's status now");
  EXPECT_TRUE(service->accept_pile_status(newer, why)) << why;
  EXPECT_EQ(service->pile_status("drive")->status, PileAvailability::kAvailable);
  EXPECT_FALSE(service->accept_pile_status(newer, why));
  EXPECT_EQ(why, "not newer than the status held");
  auto unknown = sign_pile_status(ledger::FileKeyStore(*node_key), "service-test", "nowhere",
                                  PileAvailability::kAvailable, clock);
  EXPECT_FALSE(service->accept_pile_status(unknown, why));
}

// Each service event names the members it concerns, so that the event stream reaches them:
// a confirmed top-up reaches the member who asked for it, not only its payee.
TEST_F(SharingServiceTest, EventsNameEveryMemberTheyConcern) {
  ASSERT_TRUE(send(alice, "request_top_up",
                   {{"amount", 1000}, {"method", 1}, {"payee", node_key->public_key().hex()}})
                  .ok());
  const ledger::Hash request = last_hash;
  block(clock + kMinute);
  ASSERT_TRUE(send(*node_key, "confirm_top_up", {{"request", request.hex()}}).ok());
  clock += kMinute;
  const auto h = ledger->node().engine().produce(clock);
  ASSERT_TRUE(h.has_value());
  const auto events = service->on_block(*h);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "confirm_top_up");
  const auto members = events[0]["members"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(members.begin(), members.end(), alice.public_key().hex()), members.end());
  EXPECT_NE(std::find(members.begin(), members.end(), node_key->public_key().hex()), members.end());
}

// The car leaving the pile stops its session: occupied, then available.
TEST_F(SharingServiceTest, TheCarLeavingStopsTheSession) {
  const std::string token = service->card_token("card-77");
  const ledger::Hash id =
      book(start + kHour, start + 2 * kHour, token, start - 3 * kHour + 3 * kMinute);
  clock = start + kHour;
  PileState pile;
  pile.id = "drive";
  pile.health.online = true;
  pile.status[1].state = hal::ConnectorState::kAvailable;
  service->update_pile_status(pile);  // free before the car comes: nothing to stop
  ASSERT_TRUE(std::holds_alternative<ledger::Hash>(service->present_token("drive", "card-77")));
  block(clock + 1000);
  ASSERT_EQ(service->directory().booking(id)->status, ledger::BookingStatus::kCharging);
  pile.status[1].state = hal::ConnectorState::kCharging;
  service->update_pile_status(pile);
  meter = 5000 + 7400;
  clock += 40 * kMinute;
  pile.status[1].state = hal::ConnectorState::kAvailable;  // unplugged
  service->update_pile_status(pile);
  block(clock + 1000);
  const auto* b = service->directory().booking(id);
  EXPECT_EQ(b->status, ledger::BookingStatus::kCompleted);
  EXPECT_EQ(b->stop_reason, ledger::StopReason::kByPile);
  EXPECT_EQ(b->energy_wh, 7400u);
}

// A card tapped at the pile opens the session of the booking it belongs to, in its slot only.
TEST_F(SharingServiceTest, ACardAtThePileStartsItsBookingsSession) {
  // Alice books with the token the gateway derives from her card; the uid stays off the ledger.
  const std::string token = service->card_token("card-04A2");
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(token, service->card_token("card-04A2"));
  EXPECT_NE(token, service->card_token("card-04A3"));
  const ledger::Hash id =
      book(start + kHour, start + 2 * kHour, token, start - 3 * kHour + 3 * kMinute);
  auto code = [](const auto& r) {
    return std::holds_alternative<ServiceError>(r) ? std::get<ServiceError>(r).code : "ok";
  };
  clock = start;  // an hour before the slot
  EXPECT_EQ(code(service->present_token("drive", "card-04A2")), "no_booking");
  clock = start + kHour;
  EXPECT_EQ(code(service->present_token("drive", "card-9999")), "no_booking");
  EXPECT_EQ(code(service->present_token("elsewhere", "card-04A2")), "no_booking");
  EXPECT_EQ(code(service->present_token("drive", "")), "invalid_token");
  const auto started = service->present_token("drive", "card-04A2");
  ASSERT_EQ(code(started), "ok");
  // Tapped again while the start waits for its block: nothing more.
  EXPECT_EQ(code(service->present_token("drive", "card-04A2")), "no_booking");
  block(clock + 1000);
  EXPECT_EQ(service->directory().booking(id)->status, ledger::BookingStatus::kCharging);
  const auto start_tx = ledger->node().store().blocks().tx(std::get<ledger::Hash>(started));
  ASSERT_TRUE(start_tx.has_value());
  const std::string payload(start_tx->tx.payload.begin(), start_tx->tx.payload.end());
  EXPECT_EQ(payload.find("card-04A2"), std::string::npos);
  EXPECT_NE(payload.find(token), std::string::npos);
  EXPECT_TRUE((enabled_calls.back() == std::pair<std::string, bool>("drive", true)));
}

TEST_F(SharingServiceTest, SessionsAreRefusedWithTheReason) {
  const ledger::Hash later =
      book(start + kHour, start + 2 * kHour, "qr-later", start - 3 * kHour + 3 * kMinute);
  clock = start;
  ASSERT_NE(service->directory().booking(later), nullptr);
  auto code = [](const std::variant<ledger::Hash, ServiceError>& r) {
    return std::holds_alternative<ServiceError>(r) ? std::get<ServiceError>(r).code
                                                   : std::string("ok");
  };
  EXPECT_EQ(code(service->start_session(later, "qr-wrong")), "bad_token");
  EXPECT_EQ(code(service->start_session(later, "qr-later")), "too_early");
  EXPECT_EQ(code(service->start_session(ledger::sha256("none"), "x")), "not_found");
  EXPECT_EQ(code(service->stop_session(later, "qr-later", ledger::StopReason::kByUser)),
            "conflict");
  meter.reset();
  // An offered pile stays off while no session runs.
  EXPECT_FALSE(service->may_charge("drive"));
  EXPECT_TRUE(service->may_charge("a-pile-not-on-the-ledger"));
  // The address, sealed to Alice only.
  auto sealed = service->sealed_address(later);
  ASSERT_TRUE(std::holds_alternative<ledger::Bytes>(sealed));
  EXPECT_TRUE(alice.unseal(std::get<ledger::Bytes>(sealed)));
  EXPECT_FALSE(node_key->unseal(std::get<ledger::Bytes>(sealed)));
}

TEST_F(SharingServiceTest, NoShowsAreMarkedAfterTheGrace) {
  const ledger::Hash missed =
      book(start - 2 * kHour, start - kHour, "qr-a", start - 2 * kHour - kMinute);
  const ledger::Hash ahead = book(start + kHour, start + 2 * kHour, "qr-b", start - 2 * kHour);
  const std::uint64_t before = service->directory().booking(missed)->escrow;
  clock = start;  // an hour past the missed slot's end
  service->sweep_no_shows();
  block(start);
  EXPECT_EQ(service->directory().booking(missed)->status, ledger::BookingStatus::kNoShow);
  EXPECT_EQ(service->directory().booking(missed)->paid, std::min<std::uint64_t>(300, before));
  EXPECT_EQ(service->directory().booking(ahead)->status, ledger::BookingStatus::kBooked);
  // Once only.
  const auto mempool = ledger->node().mempool().size();
  service->sweep_no_shows();
  EXPECT_EQ(ledger->node().mempool().size(), mempool);
}

}  // namespace
}  // namespace pilemesh::gateway
