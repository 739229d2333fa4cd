#include "member_auth.hpp"

#include <gtest/gtest.h>

namespace pilemesh::api {
namespace {

class MemberAuthTest : public ::testing::Test {
 protected:
  ledger::Signature sign(const ledger::KeyPair& key, const std::string& nonce) {
    const std::string m = MemberAuth::login_message(gateway.public_key().hex(), nonce);
    return key.sign(std::span(reinterpret_cast<const std::uint8_t*>(m.data()), m.size()));
  }
  MemberAuth::Opened login_ok(const ledger::KeyPair& key, const std::string& remote = "10.0.0.2") {
    const auto nonce = auth.challenge(remote);
    EXPECT_TRUE(nonce.has_value());
    auto result = auth.login(remote, key.public_key(), *nonce, sign(key, *nonce));
    EXPECT_TRUE(std::holds_alternative<MemberAuth::Opened>(result));
    return std::get<MemberAuth::Opened>(result);
  }

  std::int64_t now = 1'700'000'000'000;
  ledger::KeyPair gateway = ledger::KeyPair::generate();
  ledger::KeyPair alice = ledger::KeyPair::generate();
  ledger::KeyPair bob = ledger::KeyPair::generate();
  MemberAuth::Options options;
  MemberAuth auth{[this] { return now; }, gateway.public_key().hex(), options};
};

TEST_F(MemberAuthTest, ASignedChallengeOpensASessionNamingTheMember) {
  const auto opened = login_ok(alice);
  EXPECT_EQ(opened.token.size(), 64u);
  EXPECT_EQ(opened.session.csrf.size(), 64u);
  EXPECT_NE(opened.token, opened.session.csrf);
  const auto found = auth.find(opened.token);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->member, alice.public_key());
  EXPECT_EQ(found->csrf, opened.session.csrf);
  EXPECT_FALSE(auth.find(opened.session.csrf).has_value());
  EXPECT_FALSE(auth.find("").has_value());
}

TEST_F(MemberAuthTest, AChallengeIsUsedOnceAndOnlyByTheKeyThatSignedIt) {
  const auto nonce = *auth.challenge("10.0.0.2");
  // Bob's signature presented with Alice's key: refused, and the challenge is gone with it.
  auto wrong = auth.login("10.0.0.2", alice.public_key(), nonce, sign(bob, nonce));
  EXPECT_EQ(std::get<LoginError>(wrong), LoginError::kBadSignature);
  auto again = auth.login("10.0.0.2", alice.public_key(), nonce, sign(alice, nonce));
  EXPECT_EQ(std::get<LoginError>(again), LoginError::kUnknownChallenge);
  auto invented = auth.login("10.0.0.2", alice.public_key(), std::string(64, 'a'),
                             sign(alice, std::string(64, 'a')));
  EXPECT_EQ(std::get<LoginError>(invented), LoginError::kUnknownChallenge);
}

TEST_F(MemberAuthTest, ASignatureForAnotherGatewayDoesNotLogIn) {
  const auto nonce = *auth.challenge("10.0.0.2");
  const auto other = ledger::KeyPair::generate().public_key().hex();
  const std::string m = MemberAuth::login_message(other, nonce);
  const auto sig = alice.sign(std::span(reinterpret_cast<const std::uint8_t*>(m.data()), m.size()));
  auto result = auth.login("10.0.0.2", alice.public_key(), nonce, sig);
  EXPECT_EQ(std::get<LoginError>(result), LoginError::kBadSignature);
}

TEST_F(MemberAuthTest, ChallengesAndSessionsExpire) {
  const auto nonce = *auth.challenge("10.0.0.2");
  now += options.challenge_ttl_ms;
  auto late = auth.login("10.0.0.2", alice.public_key(), nonce, sign(alice, nonce));
  EXPECT_EQ(std::get<LoginError>(late), LoginError::kUnknownChallenge);

  const auto opened = login_ok(alice);
  now += options.session_ttl_ms - 1;
  EXPECT_TRUE(auth.find(opened.token).has_value());
  now += 1;
  EXPECT_FALSE(auth.find(opened.token).has_value());
}

TEST_F(MemberAuthTest, LogoutEndsOnlyThatSession) {
  const auto phone = login_ok(alice);
  const auto laptop = login_ok(alice);
  auth.logout(phone.token);
  EXPECT_FALSE(auth.find(phone.token).has_value());
  EXPECT_TRUE(auth.find(laptop.token).has_value());
}

TEST_F(MemberAuthTest, AttemptsAreLimitedPerAddressAndMinute) {
  for (int i = 0; i < options.attempts_per_minute; ++i)
    ASSERT_TRUE(auth.challenge("10.0.0.9").has_value()) << i;
  EXPECT_FALSE(auth.challenge("10.0.0.9").has_value());
  auto refused = auth.login("10.0.0.9", alice.public_key(), "x", ledger::Signature{});
  EXPECT_EQ(std::get<LoginError>(refused), LoginError::kRateLimited);
  EXPECT_TRUE(auth.challenge("10.0.0.10").has_value());  // another address is not affected
  now += 60'000;
  EXPECT_TRUE(auth.challenge("10.0.0.9").has_value());  // the next minute
}

TEST_F(MemberAuthTest, AMemberKeepsAFewSessionsAndNobodyElsesAreTaken) {
  MemberAuth::Options small;
  small.max_sessions = 3;
  small.max_sessions_per_member = 2;
  small.attempts_per_minute = 1000;
  MemberAuth bounded{[this] { return now; }, gateway.public_key().hex(), small};
  auto login = [&](const ledger::KeyPair& who) {
    now += 1;
    const auto nonce = *bounded.challenge("10.0.0.2");
    return bounded.login("10.0.0.2", who.public_key(), nonce, sign(who, nonce));
  };
  const auto phone = std::get<MemberAuth::Opened>(login(alice)).token;
  const auto laptop = std::get<MemberAuth::Opened>(login(alice)).token;
  const auto tablet = std::get<MemberAuth::Opened>(login(alice)).token;  // replaces the phone's
  EXPECT_FALSE(bounded.find(phone).has_value());
  EXPECT_TRUE(bounded.find(laptop).has_value());
  EXPECT_TRUE(bounded.find(tablet).has_value());
  const auto bobs = std::get<MemberAuth::Opened>(login(bob)).token;
  // The table is full of live sessions: a newcomer waits rather than logging anyone out.
  const auto carol = ledger::KeyPair::generate();
  EXPECT_EQ(std::get<LoginError>(login(carol)), LoginError::kBusy);
  EXPECT_TRUE(bounded.find(bobs).has_value());
  now += options.session_ttl_ms;  // all ended
  EXPECT_TRUE(std::holds_alternative<MemberAuth::Opened>(login(carol)));
}

TEST_F(MemberAuthTest, AnIpv6HostCountsAsItsSlash64) {
  for (int i = 0; i < options.attempts_per_minute; ++i)
    ASSERT_TRUE(auth.challenge("2001:db8:1:2::" + std::to_string(i + 1)).has_value()) << i;
  EXPECT_FALSE(auth.challenge("2001:db8:1:2:ffff::9").has_value());
  EXPECT_TRUE(auth.challenge("2001:db8:1:3::1").has_value());  // the next /64
}

TEST_F(MemberAuthTest, TheTablesStayBounded) {
  MemberAuth::Options small;
  small.max_challenges = 4;
  small.max_sessions = 2;
  small.attempts_per_minute = 1000;
  MemberAuth bounded{[this] { return now; }, gateway.public_key().hex(), small};
  const auto first = *bounded.challenge("10.0.0.2");
  for (int i = 0; i < 10; ++i) bounded.challenge("10.0.0.2");
  // The oldest challenge made room for newer ones.
  auto old = bounded.login("10.0.0.2", alice.public_key(), first, sign(alice, first));
  EXPECT_EQ(std::get<LoginError>(old), LoginError::kUnknownChallenge);
  // New sources are refused once the minute's table holds max_challenges of them.
  MemberAuth::Options few;
  few.max_challenges = 3;
  MemberAuth sources{[this] { return now; }, gateway.public_key().hex(), few};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(sources.challenge("10.0.1." + std::to_string(i)));
  EXPECT_FALSE(sources.challenge("10.0.1.99").has_value());
  EXPECT_TRUE(sources.challenge("10.0.1.0").has_value());  // a source already counted
}

}  // namespace
}  // namespace pilemesh::api
