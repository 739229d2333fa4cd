// The sharing service inside the daemon, on a real ledger in a temporary data folder: the read
// model follows the blocks, prepared transactions count what waits, the gateway refuses
// sessions it should not start, seals the address to the booked member only, keeps an offered
// pile off outside sessions, and marks no-shows on its own.
#include "pilemesh/gateway/sharing_service.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <fstream>

#include "pilemesh/ledger/encoding.hpp"
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
