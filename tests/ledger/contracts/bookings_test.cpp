// Piles, tariffs and bookings (10.2, 10.4): who may register and book, availability, the
// deposit in escrow, races for one slot, modification and the cancellation policy.
#include <gtest/gtest.h>

#include "service_chain.hpp"

namespace pilemesh::ledger::test {
namespace {

Tariff simple_tariff() {
  Tariff t;
  t.price_per_kwh = 30;  // 0.30 per kWh
  t.booking_fee = 50;
  t.free_cancel_before_ms = 2 * kHour;
  t.cancel_fee = 100;
  t.no_show_fee = 300;
  return t;
}

// alice (EV user, 100.00 in her wallet) and the owner's pile "drive" at 11 kW.
struct Neighbourhood : ::testing::Test {
  Neighbourhood() {
    chain.join(chain.owner, Role::kPileOwner);
    chain.join(chain.alice, Role::kEvUser);
    chain.join(chain.bob, Role::kEvUser);
    chain.open_pile("drive", simple_tariff());
    chain.top_up(chain.alice, 10'000);
    chain.top_up(chain.bob, 10'000);
  }
  BookPayload slot(std::int64_t start, std::int64_t end, std::uint64_t max_deposit = 1'000'000) {
    return {"drive", start, end, sha256("token"), max_deposit};
  }
  ServiceChain chain;
};

TEST_F(Neighbourhood, PileRegistrationChecksRoleVerificationAndSpec) {
  // An EV user does not register piles; a pending owner neither.
  Sent s = chain.send(chain.alice, TxType::kRegisterPile,
                      PileSpecPayload{"mine", always_available_spec("u33dc1", 11'000)}, kMonday);
  EXPECT_EQ(s.result.code, TxCode::kUnauthorized);
  EXPECT_NE(s.result.log.find("pile owner"), std::string::npos);
  ServiceChain::expect_ok(chain.send(chain.carol, TxType::kRegisterMember,
                                     RegisterMemberPayload{Role::kPileOwner, Hash{}}, kMonday));
  EXPECT_EQ(chain
                .send(chain.carol, TxType::kRegisterPile,
                      PileSpecPayload{"carport", always_available_spec("u33dc1", 11'000)}, kMonday)
                .result.code,
            TxCode::kUnauthorized);
  // Bad specifications name the field.
  s = chain.send(chain.owner, TxType::kRegisterPile,
                 PileSpecPayload{"shed", always_available_spec("Berlin", 11'000)}, kMonday);
  EXPECT_EQ(s.result.code, TxCode::kInvalidPayload);
  EXPECT_NE(s.result.log.find("geohash"), std::string::npos);
  PileSpec no_connector = always_available_spec("u33dc1", 11'000);
  no_connector.connectors.clear();
  EXPECT_EQ(
      chain.send(chain.owner, TxType::kRegisterPile, PileSpecPayload{"shed", no_connector}, kMonday)
          .result.code,
      TxCode::kInvalidPayload);
  // A new pile is pending until attested, and takes no bookings until then.
  ServiceChain::expect_ok(
      chain.send(chain.owner, TxType::kRegisterPile,
                 PileSpecPayload{"shed", always_available_spec("u33dc1", 7'400)}, kMonday));
  ServiceChain::expect_ok(chain.send(chain.owner, TxType::kSetTariff,
                                     SetTariffPayload{"shed", simple_tariff()}, kMonday));
  EXPECT_EQ(chain.read().pile_info("shed")->status, MemberStatus::kPending);
  s = chain.send(
      chain.alice, TxType::kBook,
      BookPayload{"shed", kMonday + 3 * kHour, kMonday + 4 * kHour, sha256("t"), 1'000'000},
      kMonday);
  EXPECT_EQ(s.result.code, TxCode::kConflict);
  EXPECT_NE(s.result.log.find("pending"), std::string::npos);
  // Only the owner changes a pile or its tariff.
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kSetTariff, SetTariffPayload{"drive", simple_tariff()},
                      kMonday)
                .result.code,
            TxCode::kUnauthorized);
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kUpdatePile,
                      PileSpecPayload{"drive", always_available_spec("u33dc1", 22'000)}, kMonday)
                .result.code,
            TxCode::kUnauthorized);
}

TEST_F(Neighbourhood, BookingLocksTheDepositAndKeepsItsTariff) {
  const std::uint64_t before = chain.balance(chain.alice);
  const Sent booked = chain.send(chain.alice, TxType::kBook,
                                 slot(kMonday + 3 * kHour, kMonday + 4 * kHour), kMonday);
  ServiceChain::expect_ok(booked);
  const BookingRecord b = *chain.booking(booked.hash);
  // 11 kW for an hour at 0.30 is 3.30, plus the 0.50 booking fee.
  EXPECT_EQ(b.escrow, 330u + 50u);
  EXPECT_EQ(chain.balance(chain.alice), before - b.escrow);
  EXPECT_EQ(b.status, BookingStatus::kBooked);
  // A later tariff change does not touch the booking.
  Tariff dearer = simple_tariff();
  dearer.price_per_kwh = 90;
  ServiceChain::expect_ok(
      chain.send(chain.owner, TxType::kSetTariff, SetTariffPayload{"drive", dearer}, kMonday));
  EXPECT_EQ(chain.booking(booked.hash)->tariff.price_per_kwh, 30u);
  // The deposit ceiling protects a member from a price that changed under them.
  const Sent refused = chain.send(chain.bob, TxType::kBook,
                                  slot(kMonday + 5 * kHour, kMonday + 6 * kHour, 380), kMonday);
  EXPECT_EQ(refused.result.code, TxCode::kConflict);
  EXPECT_NE(refused.result.log.find("price changed"), std::string::npos);
}

TEST_F(Neighbourhood, OverlappingSlotIsRefused) {
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kBook,
                                     slot(kMonday + 3 * kHour, kMonday + 4 * kHour), kMonday));
  const Sent overlap =
      chain.send(chain.bob, TxType::kBook,
                 slot(kMonday + 3 * kHour + 30 * kMinute, kMonday + 5 * kHour), kMonday);
  EXPECT_EQ(overlap.result.code, TxCode::kConflict);
  EXPECT_NE(overlap.result.log.find("taken"), std::string::npos);
  // Back to back is fine.
  ServiceChain::expect_ok(chain.send(chain.bob, TxType::kBook,
                                     slot(kMonday + 4 * kHour, kMonday + 5 * kHour), kMonday));
}

TEST_F(Neighbourhood, TwoMembersRacingForOneSlotInOneBlockOnlyOneWins) {
  const auto results = chain.send_together(
      {{&chain.alice,
        chain.make(chain.alice, TxType::kBook, slot(kMonday + 3 * kHour, kMonday + 4 * kHour))},
       {&chain.bob,
        chain.make(chain.bob, TxType::kBook, slot(kMonday + 3 * kHour, kMonday + 4 * kHour))}},
      kMonday);
  ASSERT_TRUE(results[0].in_block && results[1].in_block);
  EXPECT_TRUE(results[0].result.ok());
  EXPECT_EQ(results[1].result.code, TxCode::kConflict);
  // The loser keeps its money.
  EXPECT_EQ(chain.balance(chain.bob), 10'000u);
}

TEST_F(Neighbourhood, SlotsOutsideTheRulesAreRefused) {
  PileSpec weekdays = always_available_spec("u33dc1", 11'000);
  weekdays.availability = {{0x1f, 8 * 60, 18 * 60}};  // Monday to Friday, 08:00-18:00
  weekdays.closures = {{kMonday + 24 * kHour, kMonday + 48 * kHour}};  // closed on Tuesday
  ServiceChain::expect_ok(
      chain.send(chain.owner, TxType::kUpdatePile, PileSpecPayload{"drive", weekdays}, kMonday));
  auto code = [&](std::int64_t start, std::int64_t end) {
    return chain.send(chain.alice, TxType::kBook, slot(start, end), kMonday).result.code;
  };
  EXPECT_EQ(code(kMonday + 17 * kHour, kMonday + 19 * kHour),
            TxCode::kConflict);  // runs past 18:00
  EXPECT_EQ(code(kMonday + 24 * kHour + 9 * kHour, kMonday + 24 * kHour + 10 * kHour),
            TxCode::kConflict);  // closed
  EXPECT_EQ(code(kMonday + 5 * 24 * kHour + 9 * kHour, kMonday + 5 * 24 * kHour + 10 * kHour),
            TxCode::kConflict);                                              // Saturday
  EXPECT_EQ(code(kMonday - 2 * kHour, kMonday - kHour), TxCode::kConflict);  // in the past
  EXPECT_EQ(code(kMonday + 9 * kHour, kMonday + 9 * kHour), TxCode::kInvalidPayload);  // empty
  EXPECT_EQ(code(kMonday + 40LL * 24 * kHour, kMonday + 40LL * 24 * kHour + kHour),
            TxCode::kInvalidPayload);  // too far ahead
  EXPECT_EQ(code(kMonday + 2 * 24 * kHour + 9 * kHour, kMonday + 2 * 24 * kHour + 10 * kHour),
            TxCode::kOk);  // Wednesday
  // The owner does not book their own pile; a member without money cannot book.
  EXPECT_EQ(chain
                .send(chain.owner, TxType::kBook, slot(kMonday + 10 * kHour, kMonday + 11 * kHour),
                      kMonday)
                .result.code,
            TxCode::kUnauthorized);
  chain.join(chain.carol, Role::kEvUser);
  EXPECT_EQ(chain
                .send(chain.carol, TxType::kBook, slot(kMonday + 10 * kHour, kMonday + 11 * kHour),
                      kMonday)
                .result.code,
            TxCode::kInsufficientFunds);
}

TEST_F(Neighbourhood, CancellationIsFreeEarlyAndCostsTheFeeLate) {
  const Sent early = chain.send(chain.alice, TxType::kBook,
                                slot(kMonday + 5 * kHour, kMonday + 6 * kHour), kMonday);
  const Sent late = chain.send(chain.alice, TxType::kBook,
                               slot(kMonday + 7 * kHour, kMonday + 8 * kHour), kMonday);
  const std::uint64_t owner_before = chain.balance(chain.owner);
  const std::uint64_t alice_before = chain.balance(chain.alice);
  // Three hours before the start: free.
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kCancelBooking,
                                     BookingIdPayload{early.hash}, kMonday + 2 * kHour));
  EXPECT_EQ(chain.booking(early.hash)->status, BookingStatus::kCancelled);
  EXPECT_EQ(chain.booking(early.hash)->fees, 0u);
  EXPECT_EQ(chain.balance(chain.alice), alice_before + 380);
  // One hour before the start: the 1.00 fee goes to the owner.
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kCancelBooking,
                                     BookingIdPayload{late.hash}, kMonday + 6 * kHour));
  EXPECT_EQ(chain.booking(late.hash)->fees, 100u);
  EXPECT_EQ(chain.balance(chain.owner), owner_before + 100);
  EXPECT_EQ(chain.balance(chain.alice), alice_before + 380 + 280);
  // Nobody else cancels a member's booking; a booking is cancelled once.
  const Sent third =
      chain.send(chain.alice, TxType::kBook, slot(kMonday + 10 * kHour, kMonday + 11 * kHour),
                 kMonday + 6 * kHour);
  EXPECT_EQ(chain
                .send(chain.bob, TxType::kCancelBooking, BookingIdPayload{third.hash},
                      kMonday + 6 * kHour)
                .result.code,
            TxCode::kUnauthorized);
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kCancelBooking, BookingIdPayload{late.hash},
                      kMonday + 6 * kHour)
                .result.code,
            TxCode::kConflict);
  // The freed slot can be booked again.
  ServiceChain::expect_ok(chain.send(chain.bob, TxType::kBook,
                                     slot(kMonday + 7 * kHour, kMonday + 8 * kHour),
                                     kMonday + 6 * kHour));
}

TEST_F(Neighbourhood, ModifyMovesTheSlotAndTheDeposit) {
  const Sent b = chain.send(chain.alice, TxType::kBook,
                            slot(kMonday + 5 * kHour, kMonday + 6 * kHour), kMonday);
  const std::uint64_t alice_before = chain.balance(chain.alice);
  ServiceChain::expect_ok(chain.send(
      chain.alice, TxType::kModifyBooking,
      ModifyBookingPayload{b.hash, kMonday + 9 * kHour, kMonday + 11 * kHour, 1'000'000}, kMonday));
  EXPECT_EQ(chain.booking(b.hash)->start_ms, kMonday + 9 * kHour);
  EXPECT_EQ(chain.booking(b.hash)->escrow, 660u + 50u);
  EXPECT_EQ(chain.balance(chain.alice), alice_before - 330);
  // The old slot is free, the new one taken.
  ServiceChain::expect_ok(chain.send(chain.bob, TxType::kBook,
                                     slot(kMonday + 5 * kHour, kMonday + 6 * kHour), kMonday));
  EXPECT_EQ(
      chain
          .send(chain.bob, TxType::kBook, slot(kMonday + 10 * kHour, kMonday + 12 * kHour), kMonday)
          .result.code,
      TxCode::kConflict);
  // Inside the fee window it can no longer be moved.
  EXPECT_EQ(
      chain
          .send(chain.alice, TxType::kModifyBooking,
                ModifyBookingPayload{b.hash, kMonday + 12 * kHour, kMonday + 13 * kHour, 1'000'000},
                kMonday + 8 * kHour)
          .result.code,
      TxCode::kConflict);
}

TEST_F(Neighbourhood, RetiringAPileRefundsItsBookings) {
  const Sent b = chain.send(chain.alice, TxType::kBook,
                            slot(kMonday + 5 * kHour, kMonday + 6 * kHour), kMonday);
  const std::uint64_t alice_before = chain.balance(chain.alice);
  ServiceChain::expect_ok(
      chain.send(chain.owner, TxType::kRetirePile, PileIdPayload{"drive"}, kMonday));
  EXPECT_EQ(chain.booking(b.hash)->status, BookingStatus::kCancelled);
  EXPECT_EQ(chain.balance(chain.alice), alice_before + 380);
  EXPECT_EQ(
      chain.send(chain.bob, TxType::kBook, slot(kMonday + 7 * kHour, kMonday + 8 * kHour), kMonday)
          .result.code,
      TxCode::kConflict);
}

}  // namespace
}  // namespace pilemesh::ledger::test
