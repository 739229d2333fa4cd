// Charging sessions, settlement and ratings (10.6, 10.7, 3.3, 3.4): authorization by the
// booking's token, the stop as the charging record with back-pointers, the settlement of the
// escrow, the member's behaviour score, no-shows, and ratings once per settled session.
#include <gtest/gtest.h>

#include "service_chain.hpp"

namespace pilemesh::ledger::test {
namespace {

struct Session : ::testing::Test {
  Session() {
    chain.join(chain.owner, Role::kPileOwner);
    chain.join(chain.alice, Role::kEvUser);
    Tariff t;
    t.price_per_kwh = 30;
    t.price_per_minute = 1;
    t.idle_per_minute = 10;
    t.booking_fee = 50;
    t.no_show_fee = 300;
    chain.open_pile("drive", t);
    chain.top_up(chain.alice, 10'000);
    booking = chain
                  .send(chain.alice, TxType::kBook,
                        BookPayload{"drive", kMonday + 3 * kHour, kMonday + 4 * kHour,
                                    sha256("qr-123"), 1'000'000},
                        kMonday)
                  .hash;
  }
  Sent start(std::int64_t at, const std::string& token = "qr-123", const KeyPair* by = nullptr) {
    return chain.send(by ? *by : chain.owner, TxType::kStartSession,
                      StartSessionPayload{booking, token, 1000}, at);
  }
  StopSessionPayload stop_payload(std::uint64_t meter_wh) {
    const PileRecord pile = *chain.read().pile("drive");
    const AccountRecord ev = chain.read().account(chain.alice.public_key());
    return {booking,
            meter_wh,
            sha256("meter chain"),
            12,
            StopReason::kByUser,
            pile.last_charging,
            ev.last_charging};
  }
  ServiceChain chain;
  Hash booking;
};

TEST_F(Session, StartNeedsTheTokenThePileAndTheSlot) {
  Sent s = start(kMonday + 3 * kHour, "qr-999");
  EXPECT_EQ(s.result.code, TxCode::kUnauthorized);
  EXPECT_NE(s.result.log.find("token"), std::string::npos);
  EXPECT_EQ(start(kMonday + 3 * kHour, "qr-123", &chain.alice).result.code, TxCode::kUnauthorized);
  EXPECT_EQ(start(kMonday + 2 * kHour).result.code, TxCode::kConflict);  // an hour early
  ServiceChain::expect_ok(start(kMonday + 3 * kHour - 5 * kMinute));     // a little early is fine
  EXPECT_EQ(chain.booking(booking)->status, BookingStatus::kCharging);
  EXPECT_EQ(start(kMonday + 3 * kHour).result.code, TxCode::kConflict);  // running already
}

TEST_F(Session, StopSettlesTheEscrowAndScoresTheMember) {
  const std::uint64_t alice_before = chain.balance(chain.alice);  // after the deposit
  const std::uint64_t owner_before = chain.balance(chain.owner);
  const std::uint64_t escrow = chain.booking(booking)->escrow;
  ServiceChain::expect_ok(start(kMonday + 3 * kHour));
  // 8 kWh in 50 minutes.
  const Sent stop = chain.send(chain.owner, TxType::kStopSession, stop_payload(9000),
                               kMonday + 3 * kHour + 50 * kMinute);
  ServiceChain::expect_ok(stop);
  const BookingRecord b = *chain.booking(booking);
  EXPECT_EQ(b.status, BookingStatus::kCompleted);
  EXPECT_EQ(b.energy_wh, 8000u);
  EXPECT_EQ(b.energy_cost, 240u);  // 8 kWh at 0.30
  EXPECT_EQ(b.time_cost, 50u);     // 50 minutes at 0.01
  EXPECT_EQ(b.fees, 50u);
  EXPECT_EQ(b.paid, 340u);
  EXPECT_EQ(b.refunded, escrow - 340);
  EXPECT_EQ(b.charging_tx, stop.hash);
  EXPECT_EQ(b.meter_chain_hash, sha256("meter chain"));
  EXPECT_EQ(chain.balance(chain.owner), owner_before + 340);
  EXPECT_EQ(chain.balance(chain.alice), alice_before + escrow - 340);
  EXPECT_EQ(chain.member(chain.alice)->credibility, 1);
  EXPECT_EQ(chain.member(chain.alice)->sessions, 1u);
  // The back-pointers now lead to this record.
  EXPECT_EQ(chain.read().pile("drive")->last_charging, stop.hash);
  EXPECT_EQ(chain.read().account(chain.alice.public_key()).last_charging, stop.hash);
}

TEST_F(Session, OwnersRecordChargingOnlyThroughSessions) {
  // A bare charging record would let an owner write history no member agreed to.
  ChargingRecordPayload bare{
      "drive", chain.alice.public_key(), 5000, kMonday, kMonday + kHour, Hash{}, Hash{}};
  const Sent s = chain.send(chain.owner, TxType::kChargingRecord, encode(bare), kMonday + kHour);
  EXPECT_EQ(s.result.code, TxCode::kUnauthorized);
  EXPECT_NE(s.result.log.find("session"), std::string::npos);
}

TEST_F(Session, StopRefusesForgedPointersAndImpossibleEnergy) {
  ServiceChain::expect_ok(start(kMonday + 3 * kHour));
  StopSessionPayload forged = stop_payload(2000);
  forged.prev_pile_charging = sha256("made up");
  EXPECT_EQ(
      chain.send(chain.owner, TxType::kStopSession, forged, kMonday + 3 * kHour + 10 * kMinute)
          .result.code,
      TxCode::kForgedPointer);
  // 11 kW for 10 minutes cannot make 5 kWh.
  EXPECT_EQ(chain
                .send(chain.owner, TxType::kStopSession, stop_payload(6000),
                      kMonday + 3 * kHour + 10 * kMinute)
                .result.code,
            TxCode::kInvalidPayload);
  EXPECT_EQ(chain
                .send(chain.owner, TxType::kStopSession, stop_payload(500),
                      kMonday + 3 * kHour + 10 * kMinute)
                .result.code,
            TxCode::kInvalidPayload);  // below the start reading
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kStopSession, stop_payload(2000),
                      kMonday + 3 * kHour + 10 * kMinute)
                .result.code,
            TxCode::kUnauthorized);
}

TEST_F(Session, LateStopPaysIdleMinutesAndScoresZero) {
  ServiceChain::expect_ok(start(kMonday + 3 * kHour));
  const std::int64_t late = kMonday + 4 * kHour + 20 * kMinute;  // 20 minutes past the slot
  ServiceChain::expect_ok(chain.send(chain.owner, TxType::kStopSession, stop_payload(3000), late));
  const BookingRecord b = *chain.booking(booking);
  EXPECT_EQ(b.time_cost, 80u * 1 + 20u * 10);
  EXPECT_EQ(b.behaviour, 0);
  EXPECT_EQ(chain.member(chain.alice)->credibility, 0);
}

TEST_F(Session, AnUnpaidSettlementBlocksBookingUntilTheDebtIsPaid) {
  ServiceChain::expect_ok(start(kMonday + 3 * kHour));
  // Left plugged in until the next morning: the idle minutes cost more than the wallet holds.
  const std::int64_t next_day = kMonday + 24 * kHour;
  ServiceChain::expect_ok(
      chain.send(chain.owner, TxType::kStopSession, stop_payload(3000), next_day));
  const BookingRecord b = *chain.booking(booking);
  EXPECT_GT(b.unpaid, 0u);
  EXPECT_EQ(b.behaviour, -1);
  EXPECT_EQ(chain.balance(chain.alice), 0u);
  EXPECT_EQ(chain.member(chain.alice)->debt, b.unpaid);
  const BookPayload again{"drive", next_day + kHour, next_day + 2 * kHour, sha256("t"), 1'000'000};
  const Sent refused = chain.send(chain.alice, TxType::kBook, again, next_day);
  EXPECT_EQ(refused.result.code, TxCode::kUnauthorized);
  EXPECT_NE(refused.result.log.find("unpaid"), std::string::npos);
  // Paying it off, from a fresh top-up, to the owner who was not paid.
  EXPECT_EQ(
      chain.send(chain.alice, TxType::kSettleDebt, BookingIdPayload{booking}, next_day).result.code,
      TxCode::kInsufficientFunds);
  chain.top_up(chain.alice, b.unpaid + 1'000, next_day);
  const std::uint64_t owner_before = chain.balance(chain.owner);
  ServiceChain::expect_ok(
      chain.send(chain.alice, TxType::kSettleDebt, BookingIdPayload{booking}, next_day));
  EXPECT_EQ(chain.balance(chain.owner), owner_before + b.unpaid);
  EXPECT_EQ(chain.member(chain.alice)->debt, 0u);
  EXPECT_EQ(chain.booking(booking)->unpaid, 0u);
  EXPECT_EQ(chain.money_held(), chain.read().supply().total);
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kBook, again, next_day));
}

TEST_F(Session, NoShowAfterGraceCostsTheFeeAndCredibility) {
  EXPECT_EQ(chain
                .send(chain.owner, TxType::kMarkNoShow, BookingIdPayload{booking},
                      kMonday + 3 * kHour + 5 * kMinute)
                .result.code,
            TxCode::kConflict);  // still inside the 15-minute grace
  const std::uint64_t alice_before = chain.balance(chain.alice);
  const std::uint64_t escrow = chain.booking(booking)->escrow;
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kMarkNoShow, BookingIdPayload{booking},
                      kMonday + 3 * kHour + 20 * kMinute)
                .result.code,
            TxCode::kUnauthorized);
  ServiceChain::expect_ok(chain.send(chain.owner, TxType::kMarkNoShow, BookingIdPayload{booking},
                                     kMonday + 3 * kHour + 20 * kMinute));
  EXPECT_EQ(chain.booking(booking)->status, BookingStatus::kNoShow);
  EXPECT_EQ(chain.balance(chain.alice), alice_before + escrow - 300);
  EXPECT_EQ(chain.member(chain.alice)->credibility, -1);
}

TEST_F(Session, CredibilityBelowTheThresholdClosesBooking) {
  ServiceParams strict;
  strict.min_credibility = 0;
  ServiceChain c(strict);
  c.join(c.owner, Role::kPileOwner);
  c.join(c.alice, Role::kEvUser);
  Tariff t;
  t.no_show_fee = 10;
  c.open_pile("drive", t);
  c.top_up(c.alice, 10'000);
  const Hash first =
      c.send(c.alice, TxType::kBook,
             BookPayload{"drive", kMonday + kHour, kMonday + 2 * kHour, sha256("t"), 1'000'000},
             kMonday)
          .hash;
  ServiceChain::expect_ok(
      c.send(c.owner, TxType::kMarkNoShow, BookingIdPayload{first}, kMonday + 2 * kHour));
  const Sent refused =
      c.send(c.alice, TxType::kBook,
             BookPayload{"drive", kMonday + 5 * kHour, kMonday + 6 * kHour, sha256("t"), 1'000'000},
             kMonday + 2 * kHour);
  EXPECT_EQ(refused.result.code, TxCode::kUnauthorized);
  EXPECT_NE(refused.result.log.find("credibility"), std::string::npos);
}

TEST_F(Session, RatingOncePerSettledSessionMovesThePileScore) {
  RateSessionPayload rate{booking, 3, sha256("great pile"), Hash{}, Hash{}};
  // Before the session is settled there is nothing to rate.
  EXPECT_EQ(chain.send(chain.alice, TxType::kRateSession, rate, kMonday + 3 * kHour).result.code,
            TxCode::kConflict);
  ServiceChain::expect_ok(start(kMonday + 3 * kHour));
  ServiceChain::expect_ok(chain.send(chain.owner, TxType::kStopSession, stop_payload(3000),
                                     kMonday + 3 * kHour + 30 * kMinute));
  // Only the member who charged rates; the score is 1..3; pointers must match.
  EXPECT_EQ(chain.send(chain.owner, TxType::kRateSession, rate, kMonday + 5 * kHour).result.code,
            TxCode::kUnauthorized);
  RateSessionPayload bad_score = rate;
  bad_score.score = 4;
  EXPECT_EQ(
      chain.send(chain.alice, TxType::kRateSession, bad_score, kMonday + 5 * kHour).result.code,
      TxCode::kInvalidPayload);
  RateSessionPayload forged = rate;
  forged.prev_pile_evaluation = sha256("x");
  EXPECT_EQ(chain.send(chain.alice, TxType::kRateSession, forged, kMonday + 5 * kHour).result.code,
            TxCode::kForgedPointer);
  const Sent rated = chain.send(chain.alice, TxType::kRateSession, rate, kMonday + 5 * kHour);
  ServiceChain::expect_ok(rated);
  const PileInfo info = *chain.read().pile_info("drive");
  EXPECT_EQ(info.ratings, 1u);
  EXPECT_GT(info.score, 0);  // from 0 towards the mean
  EXPECT_EQ(chain.read().pile("drive")->last_evaluation, rated.hash);
  EXPECT_EQ(chain.read().rating(rated.hash)->review_hash, sha256("great pile"));
  RateSessionPayload again = rate;
  again.prev_pile_evaluation = rated.hash;
  again.prev_ev_evaluation = rated.hash;
  EXPECT_EQ(chain.send(chain.alice, TxType::kRateSession, again, kMonday + 5 * kHour).result.code,
            TxCode::kConflict);
  // The owner answers once.
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kRespondRating,
                      RespondRatingPayload{rated.hash, sha256("thanks")}, kMonday + 6 * kHour)
                .result.code,
            TxCode::kUnauthorized);
  ServiceChain::expect_ok(chain.send(chain.owner, TxType::kRespondRating,
                                     RespondRatingPayload{rated.hash, sha256("thanks")},
                                     kMonday + 6 * kHour));
  EXPECT_EQ(chain.read().rating(rated.hash)->response_hash, sha256("thanks"));
  EXPECT_EQ(chain
                .send(chain.owner, TxType::kRespondRating,
                      RespondRatingPayload{rated.hash, sha256("again")}, kMonday + 6 * kHour)
                .result.code,
            TxCode::kConflict);
}

}  // namespace
}  // namespace pilemesh::ledger::test
