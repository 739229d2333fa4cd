// Members and roles (10.1): registration, attestation by k verified members or an admin,
// rejection, suspension, profiles, and recovery to a new key.
#include <gtest/gtest.h>

#include "service_chain.hpp"

namespace pilemesh::ledger::test {
namespace {

SubjectPayload member_subject(const KeyPair& k, std::string reason = "") {
  return {SubjectKind::kMember, k.public_key(), "", std::move(reason)};
}

TEST(Members, VerifiedAfterKAttestationsOrOneAdmin) {
  ServiceChain chain;  // k = 2
  chain.join(chain.owner, Role::kPileOwner);
  chain.join(chain.bob, Role::kEvUser);
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kRegisterMember,
                                     RegisterMemberPayload{Role::kEvUser, sha256("profile")},
                                     kMonday));
  EXPECT_EQ(chain.member(chain.alice)->status, MemberStatus::kPending);
  EXPECT_EQ(chain.member(chain.alice)->profile_hash, sha256("profile"));

  ServiceChain::expect_ok(
      chain.send(chain.owner, TxType::kAttest, member_subject(chain.alice), kMonday));
  EXPECT_EQ(chain.member(chain.alice)->status, MemberStatus::kPending);
  // The same member twice counts once.
  EXPECT_EQ(
      chain.send(chain.owner, TxType::kAttest, member_subject(chain.alice), kMonday).result.code,
      TxCode::kConflict);
  ServiceChain::expect_ok(
      chain.send(chain.bob, TxType::kAttest, member_subject(chain.alice), kMonday));
  EXPECT_EQ(chain.member(chain.alice)->status, MemberStatus::kVerified);
  EXPECT_EQ(chain.member(chain.alice)->attesters.size(), 2u);
}

TEST(Members, RefusalsNameTheReason) {
  ServiceChain chain;
  // Admins come from the genesis only.
  Sent s = chain.send(chain.alice, TxType::kRegisterMember,
                      RegisterMemberPayload{Role::kAdmin, Hash{}}, kMonday);
  EXPECT_EQ(s.result.code, TxCode::kUnauthorized);
  EXPECT_NE(s.result.log.find("genesis"), std::string::npos);
  ServiceChain::expect_ok(chain.send(chain.alice, TxType::kRegisterMember,
                                     RegisterMemberPayload{Role::kEvUser, Hash{}}, kMonday));
  EXPECT_EQ(chain
                .send(chain.alice, TxType::kRegisterMember,
                      RegisterMemberPayload{Role::kEvUser, Hash{}}, kMonday)
                .result.code,
            TxCode::kConflict);
  // An unverified member does not vouch, nor does a stranger.
  ServiceChain::expect_ok(chain.send(chain.bob, TxType::kRegisterMember,
                                     RegisterMemberPayload{Role::kEvUser, Hash{}}, kMonday));
  s = chain.send(chain.bob, TxType::kAttest, member_subject(chain.alice), kMonday);
  EXPECT_EQ(s.result.code, TxCode::kUnauthorized);
  EXPECT_NE(s.result.log.find("pending"), std::string::npos);
  EXPECT_EQ(
      chain.send(chain.carol, TxType::kAttest, member_subject(chain.alice), kMonday).result.code,
      TxCode::kUnauthorized);
  EXPECT_EQ(
      chain.send(chain.admin, TxType::kAttest, member_subject(chain.admin), kMonday).result.code,
      TxCode::kUnauthorized);
  // Rejection: admins only, with a reason.
  EXPECT_EQ(chain.send(chain.bob, TxType::kReject, member_subject(chain.alice, "no"), kMonday)
                .result.code,
            TxCode::kUnauthorized);
  EXPECT_EQ(
      chain.send(chain.admin, TxType::kReject, member_subject(chain.alice), kMonday).result.code,
      TxCode::kInvalidPayload);
  ServiceChain::expect_ok(chain.send(
      chain.admin, TxType::kReject, member_subject(chain.alice, "unknown in the street"), kMonday));
  EXPECT_EQ(chain.member(chain.alice)->status, MemberStatus::kRejected);
  EXPECT_EQ(chain.member(chain.alice)->reason, "unknown in the street");
}

TEST(Members, SuspendedMemberCannotActUntilReinstated) {
  ServiceChain chain;
  chain.join(chain.alice, Role::kEvUser);
  chain.join(chain.bob, Role::kEvUser);
  ServiceChain::expect_ok(chain.send(chain.admin, TxType::kSuspend,
                                     SuspendPayload{chain.alice.public_key(), true, "unpaid"},
                                     kMonday));
  EXPECT_EQ(chain.member(chain.alice)->status, MemberStatus::kSuspended);
  ServiceChain::expect_ok(chain.send(chain.carol, TxType::kRegisterMember,
                                     RegisterMemberPayload{Role::kEvUser, Hash{}}, kMonday));
  const Sent refused =
      chain.send(chain.alice, TxType::kAttest, member_subject(chain.carol), kMonday);
  EXPECT_EQ(refused.result.code, TxCode::kUnauthorized);
  EXPECT_NE(refused.result.log.find("unpaid"), std::string::npos);
  EXPECT_EQ(chain
                .send(chain.bob, TxType::kSuspend,
                      SuspendPayload{chain.alice.public_key(), false, ""}, kMonday)
                .result.code,
            TxCode::kUnauthorized);
  ServiceChain::expect_ok(chain.send(chain.admin, TxType::kSuspend,
                                     SuspendPayload{chain.alice.public_key(), false, ""}, kMonday));
  ServiceChain::expect_ok(
      chain.send(chain.alice, TxType::kAttest, member_subject(chain.carol), kMonday));
}

TEST(Members, RecoveryCodeMovesMemberAndWalletOnce) {
  ServiceChain chain;
  chain.join(chain.alice, Role::kEvUser);
  chain.top_up(chain.alice, 5000);
  ServiceChain::expect_ok(
      chain.send(chain.alice, TxType::kSetRecovery,
                 SetRecoveryPayload{{}, 0, {sha256("code-1"), sha256("code-2")}}, kMonday));
  const KeyPair fresh = key_from(40);
  EXPECT_EQ(chain
                .send(fresh, TxType::kRecoverAccount,
                      RecoverAccountPayload{chain.alice.public_key(), "guess", {}}, kMonday)
                .result.code,
            TxCode::kUnauthorized);
  ServiceChain::expect_ok(chain.send(fresh, TxType::kRecoverAccount,
                                     RecoverAccountPayload{chain.alice.public_key(), "code-1", {}},
                                     kMonday));
  EXPECT_EQ(chain.member(chain.alice)->status, MemberStatus::kMoved);
  EXPECT_EQ(chain.member(chain.alice)->moved_to, fresh.public_key());
  EXPECT_EQ(chain.member(fresh)->status, MemberStatus::kVerified);
  EXPECT_EQ(chain.balance(fresh), 5000u);
  EXPECT_EQ(chain.balance(chain.alice), 0u);
  // The used code is gone; the old key cannot be recovered again.
  EXPECT_EQ(chain.member(fresh)->recovery_code_hashes, std::vector<Hash>{sha256("code-2")});
  EXPECT_EQ(chain
                .send(key_from(41), TxType::kRecoverAccount,
                      RecoverAccountPayload{chain.alice.public_key(), "code-2", {}}, kMonday)
                .result.code,
            TxCode::kNotFound);
}

TEST(Members, GuardiansRecoverWhenEnoughApprove) {
  ServiceChain chain;
  chain.join(chain.alice, Role::kEvUser);
  chain.join(chain.bob, Role::kEvUser);
  chain.join(chain.carol, Role::kEvUser);
  ServiceChain::expect_ok(chain.send(
      chain.alice, TxType::kSetRecovery,
      SetRecoveryPayload{{chain.bob.public_key(), chain.carol.public_key()}, 2, {}}, kMonday));
  const KeyPair fresh = key_from(42);
  const Bytes message = recovery_message(kChain, chain.alice.public_key(), fresh.public_key());
  GuardianApproval by_bob{chain.bob.public_key(), chain.bob.sign(message)};
  GuardianApproval by_carol{chain.carol.public_key(), chain.carol.sign(message)};
  GuardianApproval forged{chain.carol.public_key(), chain.bob.sign(message)};
  EXPECT_EQ(
      chain
          .send(fresh, TxType::kRecoverAccount,
                RecoverAccountPayload{chain.alice.public_key(), "", {by_bob, by_bob}}, kMonday)
          .result.code,
      TxCode::kUnauthorized);
  EXPECT_EQ(
      chain
          .send(fresh, TxType::kRecoverAccount,
                RecoverAccountPayload{chain.alice.public_key(), "", {by_bob, forged}}, kMonday)
          .result.code,
      TxCode::kBadSignature);
  ServiceChain::expect_ok(
      chain.send(fresh, TxType::kRecoverAccount,
                 RecoverAccountPayload{chain.alice.public_key(), "", {by_bob, by_carol}}, kMonday));
  EXPECT_EQ(chain.member(fresh)->status, MemberStatus::kVerified);
}

}  // namespace
}  // namespace pilemesh::ledger::test
