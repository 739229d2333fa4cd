// Auction pricing (section 3.3 (1), Algorithm 2): a charge request with a ceiling in escrow,
// bids from piles in the area that can only improve, screening by price, speed, distance and
// reputation, the winning bid as a booking, deposits returned, and the decision commitment.
#include <gtest/gtest.h>

#include "service_chain.hpp"

namespace pilemesh::ledger::test {
namespace {

struct Auction : ::testing::Test {
  Auction() {
    chain.join(chain.owner, Role::kPileOwner);
    chain.join(chain.alice, Role::kEvUser);
    for (const auto& [id, cell] :
         {std::pair{"near", "u33dc1"}, {"far", "u33dbz"}, {"away", "u0yjjm"}}) {
      ServiceChain::expect_ok(chain.send(chain.owner, TxType::kRegisterPile,
                                         PileSpecPayload{id, always_available_spec(cell, 11'000)},
                                         kMonday));
      ServiceChain::expect_ok(chain.send(chain.admin, TxType::kAttest,
                                         SubjectPayload{SubjectKind::kPile, {}, id, ""}, kMonday));
    }
    chain.top_up(chain.alice, 5'000);
    chain.top_up(chain.owner, 1'000);
    request = chain
                  .send(chain.alice, TxType::kPostChargeRequest,
                        PostChargeRequestPayload{"u33dc1", 4, 10'000, kMonday + 3 * kHour,
                                                 kMonday + 4 * kHour, 1'000, kMonday + kHour,
                                                 sha256("token")},
                        kMonday)
                  .hash;
  }
  Sent bid(const std::string& pile, std::uint64_t price, std::uint32_t power = 11'000,
           std::int64_t at = kMonday + 10 * kMinute) {
    return chain.send(chain.owner, TxType::kBid, BidPayload{request, pile, power, price, 100}, at);
  }
  ServiceChain chain;
  Hash request;
};

TEST_F(Auction, ScreeningPicksTheBestBidWhichBecomesABooking) {
  EXPECT_EQ(chain.balance(chain.alice), 4'000u);  // the ceiling is in escrow
  ServiceChain::expect_ok(bid("near", 600));
  ServiceChain::expect_ok(bid("far", 500));
  // Bids from outside the area, above the ceiling, or beyond the pile's power are refused.
  Sent s = bid("away", 300);
  EXPECT_EQ(s.result.code, TxCode::kConflict);
  EXPECT_NE(s.result.log.find("outside"), std::string::npos);
  EXPECT_EQ(bid("near", 1'001).result.code, TxCode::kConflict);
  EXPECT_EQ(bid("near", 500, 22'000).result.code, TxCode::kInvalidPayload);
  // A bid only improves.
  EXPECT_EQ(bid("far", 520).result.code, TxCode::kConflict);
  ServiceChain::expect_ok(bid("far", 450));
  EXPECT_EQ(chain.balance(chain.owner), 1'000u - 200);  // two deposits held
  // Nobody else bids for someone's pile, and nobody closes before the deadline.
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kBid, BidPayload{request, "near", 11'000, 100, 0},
                      kMonday + 20 * kMinute)
                .result.code,
            TxCode::kUnauthorized);
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kCloseAuction, CloseAuctionPayload{request, Hash{}},
                      kMonday + 30 * kMinute)
                .result.code,
            TxCode::kConflict);
  EXPECT_EQ(bid("near", 400, 11'000, kMonday + kHour).result.code,
            TxCode::kConflict);  // closed for bids

  // near: 4·400 + 2·1000 + 2·1000 (same cell) = 5600; far: 4·550 + 2·1000 + 2·666 = 5532.
  const Hash r = sha256("alice's secret");
  const Sent closed = chain.send(
      chain.alice, TxType::kCloseAuction,
      CloseAuctionPayload{request, decision_commitment(chain.alice.public_key(), "near", r)},
      kMonday + kHour + kMinute);
  ServiceChain::expect_ok(closed);
  const ChargeRequestRecord rec = *chain.read().charge_request(request);
  EXPECT_EQ(rec.status, AuctionStatus::kAwarded);
  EXPECT_EQ(rec.winner, "near");
  const BookingRecord booking = *chain.booking(closed.hash);
  EXPECT_EQ(booking.pile_id, "near");
  EXPECT_EQ(booking.escrow, 600u);
  EXPECT_EQ(booking.token_hash, sha256("token"));
  EXPECT_EQ(chain.balance(chain.alice), 4'400u);  // the rest of the ceiling came back
  EXPECT_EQ(chain.balance(chain.owner), 1'000u);  // and every deposit
  EXPECT_EQ(chain.money_held(), chain.read().supply().total);
  // The slot is taken like any booking's.
  EXPECT_EQ(chain.read().pile_slots("near").slots.size(), 1u);

  // The commitment opens only with the member's r.
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kRevealDecision,
                      RevealDecisionPayload{request, sha256("guess")}, kMonday + 2 * kHour)
                .result.code,
            TxCode::kForgedPointer);
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kRevealDecision,
                                     RevealDecisionPayload{request, r}, kMonday + 2 * kHour));
  EXPECT_TRUE(chain.read().charge_request(request)->revealed);
}

TEST_F(Auction, NoBidsReturnsTheCeiling) {
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kCloseAuction,
                                     CloseAuctionPayload{request, Hash{}}, kMonday + 2 * kHour));
  EXPECT_EQ(chain.read().charge_request(request)->status, AuctionStatus::kUnfilled);
  EXPECT_EQ(chain.balance(chain.alice), 5'000u);
}

TEST_F(Auction, RequestsAreChecked) {
  auto post = [&](PostChargeRequestPayload p) {
    return chain.send(chain.alice, TxType::kPostChargeRequest, p, kMonday).result.code;
  };
  const PostChargeRequestPayload good{
      "u33dc1",        4,          10'000, kMonday + 3 * kHour, kMonday + 4 * kHour, 1'000,
      kMonday + kHour, sha256("t")};
  PostChargeRequestPayload p = good;
  p.deadline_ms = kMonday + 5 * kHour;  // after the window starts
  EXPECT_EQ(post(p), TxCode::kInvalidPayload);
  p = good;
  p.area_chars = 9;
  EXPECT_EQ(post(p), TxCode::kInvalidPayload);
  p = good;
  p.price_ceiling = 999'999;
  EXPECT_EQ(post(p), TxCode::kInsufficientFunds);
  EXPECT_EQ(chain.send(chain.bob, TxType::kPostChargeRequest, good, kMonday).result.code,
            TxCode::kUnauthorized);
}

}  // namespace
}  // namespace pilemesh::ledger::test
