// Payments (10.5): top-ups confirmed by their payee, withdrawals, and the conservation of money:
// outside top-ups and withdrawals the sum of all wallets and escrows never changes, whatever
// members do (a seeded random walk over every money-moving contract).
#include <gtest/gtest.h>

#include <random>

#include "pilemesh/ledger/replay.hpp"
#include "service_chain.hpp"

namespace pilemesh::ledger::test {
namespace {

TEST(Payments, TopUpIsCreditedOnlyWhenItsPayeeConfirms) {
  ServiceChain chain;
  chain.join(chain.owner, Role::kPileOwner);
  chain.join(chain.alice, Role::kEvUser);
  chain.join(chain.bob, Role::kEvUser);
  // The payee must be an owner or admin.
  EXPECT_EQ(
      chain
          .send(chain.alice, TxType::kRequestTopUp,
                RequestTopUpPayload{500, TopUpMethod::kSepaTransfer, chain.bob.public_key(), "x"},
                kMonday)
          .result.code,
      TxCode::kInvalidPayload);
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kRequestTopUp,
                      RequestTopUpPayload{0, TopUpMethod::kManual, chain.owner.public_key(), "x"},
                      kMonday)
                .result.code,
            TxCode::kInvalidPayload);
  // Method 0 is no method, 3..15 are reserved; a plugin's number (16..255) is as good as a
  // built-in one.
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kRequestTopUp,
                      RequestTopUpPayload{500, static_cast<TopUpMethod>(3),
                                          chain.owner.public_key(), "x"},
                      kMonday)
                .result.code,
            TxCode::kInvalidPayload);
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kRequestTopUp,
                      RequestTopUpPayload{500, static_cast<TopUpMethod>(0),
                                          chain.owner.public_key(), "x"},
                      kMonday)
                .result.code,
            TxCode::kInvalidPayload);
  ServiceChain::expect_ok(chain.send(
      chain.alice, TxType::kRequestTopUp,
      RequestTopUpPayload{700, static_cast<TopUpMethod>(42), chain.owner.public_key(), "kiosk"},
      kMonday));
  const Sent request = chain.send(
      chain.alice, TxType::kRequestTopUp,
      RequestTopUpPayload{2500, TopUpMethod::kSepaTransfer, chain.owner.public_key(), "PM-ALICE-1"},
      kMonday);
  ServiceChain::expect_ok(request);
  EXPECT_EQ(chain.balance(chain.alice), 0u);
  EXPECT_EQ(chain.send(chain.bob, TxType::kConfirmTopUp, ConfirmTopUpPayload{request.hash}, kMonday)
                .result.code,
            TxCode::kUnauthorized);
  EXPECT_EQ(
      chain.send(chain.admin, TxType::kConfirmTopUp, ConfirmTopUpPayload{request.hash}, kMonday)
          .result.code,
      TxCode::kUnauthorized);  // the admin is not this request's payee
  ServiceChain::expect_ok(
      chain.send(chain.owner, TxType::kConfirmTopUp, ConfirmTopUpPayload{request.hash}, kMonday));
  EXPECT_EQ(chain.balance(chain.alice), 2500u);
  EXPECT_EQ(chain.read().supply().total, 2500u);
  EXPECT_EQ(
      chain.send(chain.owner, TxType::kConfirmTopUp, ConfirmTopUpPayload{request.hash}, kMonday)
          .result.code,
      TxCode::kConflict);
  // Withdrawal: never more than the wallet; the supply shrinks with it.
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kWithdraw,
                      WithdrawPayload{9999, chain.owner.public_key()}, kMonday)
                .result.code,
            TxCode::kInsufficientFunds);
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kWithdraw,
                                     WithdrawPayload{1000, chain.owner.public_key()}, kMonday));
  EXPECT_EQ(chain.balance(chain.alice), 1500u);
  EXPECT_EQ(chain.read().supply().total, 1500u);
}

TEST(Payments, MoneyIsConservedAcrossRandomServiceActivity) {
  const KeyPair rich = key_from(30);
  ServiceChain chain({}, {{rich.public_key(), 50'000}});
  chain.join(chain.owner, Role::kPileOwner);
  const std::vector<const KeyPair*> members = {&chain.alice, &chain.bob, &chain.carol};
  for (const KeyPair* m : members) chain.join(*m, Role::kEvUser);
  Tariff t;
  t.price_per_kwh = 35;
  t.price_per_minute = 2;
  t.idle_per_minute = 20;
  t.booking_fee = 40;
  t.free_cancel_before_ms = kHour;
  t.cancel_fee = 150;
  t.no_show_fee = 250;
  chain.open_pile("drive", t);
  chain.open_pile("shed", t);
  for (const KeyPair* m : members) chain.top_up(*m, 5'000);

  std::mt19937_64 rng(20261123);
  std::int64_t now = kMonday + kHour;
  std::uint64_t expected_supply = chain.read().supply().total;
  ASSERT_EQ(expected_supply, 50'000u + 15'000u);
  std::vector<Hash> bookings;
  int settled = 0, ok_count = 0;
  for (int step = 0; step < 300; ++step) {
    now += static_cast<std::int64_t>(rng() % 20) * kMinute;
    const KeyPair& m = *members[rng() % members.size()];
    const std::string pile = rng() % 2 ? "drive" : "shed";
    Sent s;
    switch (rng() % 8) {
      case 0:
      case 1: {
        const std::int64_t start = now + static_cast<std::int64_t>(rng() % 6) * 15 * kMinute;
        s = chain.send(m, TxType::kBook,
                       BookPayload{pile, start,
                                   start + static_cast<std::int64_t>(1 + rng() % 4) * 15 * kMinute,
                                   sha256("tok"), 1'000'000},
                       now);
        if (s.result.ok()) bookings.push_back(s.hash);
        break;
      }
      case 2:
        if (!bookings.empty()) {
          const Hash& b = bookings[rng() % bookings.size()];
          s = chain.send(*(chain.booking(b)->member == chain.alice.public_key() ? &chain.alice
                           : chain.booking(b)->member == chain.bob.public_key() ? &chain.bob
                                                                                : &chain.carol),
                         TxType::kCancelBooking, BookingIdPayload{b}, now);
        }
        break;
      case 3: {
        // A booking that is due: its slot has begun or begins within the early-start margin.
        for (const Hash& b : bookings) {
          const auto rec = chain.booking(b);
          if (rec->status == BookingStatus::kBooked && rec->start_ms <= now + 10 * kMinute &&
              now < rec->end_ms) {
            s = chain.send(chain.owner, TxType::kStartSession, StartSessionPayload{b, "tok", 100},
                           now);
            break;
          }
        }
        break;
      }
      case 4:
        for (const Hash& b : bookings) {
          const auto rec = chain.booking(b);
          if (rec->status != BookingStatus::kCharging) continue;
          const PileRecord p = *chain.read().pile(rec->pile_id);
          const AccountRecord ev = chain.read().account(rec->member);
          const auto minutes = static_cast<std::uint64_t>(now - rec->started_ms) / kMinute;
          s = chain.send(chain.owner, TxType::kStopSession,
                         StopSessionPayload{b, 100 + minutes * 150, Hash{}, 0, StopReason::kByPile,
                                            p.last_charging, ev.last_charging},
                         now);
          if (s.result.ok()) ++settled;
          break;
        }
        break;
      case 5:
        if (!bookings.empty())
          s = chain.send(chain.owner, TxType::kMarkNoShow,
                         BookingIdPayload{bookings[rng() % bookings.size()]}, now);
        break;
      case 6:
        s = chain.send(
            m, TxType::kTransfer,
            encode(TransferPayload{members[rng() % members.size()]->public_key(), rng() % 300}),
            now);
        break;
      case 7:
        if (rng() % 4 == 0) {
          const std::uint64_t amount = 1 + rng() % 400;
          s = chain.send(m, TxType::kWithdraw, WithdrawPayload{amount, chain.owner.public_key()},
                         now);
          if (s.result.ok()) expected_supply -= amount;
        }
        break;
    }
    if (s.result.ok() && s.in_block) ++ok_count;
    ASSERT_EQ(chain.read().supply().total, expected_supply) << "step " << step;
    ASSERT_EQ(chain.money_held(), expected_supply) << "step " << step;
  }
  // The walk did exercise the contracts, not only their refusals.
  EXPECT_GT(ok_count, 50);
  EXPECT_GT(settled, 5);

  // Replaying the whole service chain from genesis gives the same state root at every height.
  pilemesh::test::TempDir dir;
  LedgerStore target = LedgerStore::open(dir.path() / "replay.db");
  LedgerApp app(target.state());
  const ReplayReport report = replay_chain(chain.store().blocks(), chain.genesis(), target, app);
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.checked, chain.store().blocks().height());
}

}  // namespace
}  // namespace pilemesh::ledger::test
