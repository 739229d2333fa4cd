// Members and roles (ITU clause 10.1, user management of 9.2): registration with a role and a
// profile hash, verification by attestation (an admin, or k verified members), rejection and
// suspension by an admin, profile updates, and account recovery that moves a member to a new
// key — proven by a recovery code or by guardians, never by anyone reading a password.
#include <algorithm>

#include "contract_common.hpp"
#include "contracts_impl.hpp"

namespace pilemesh::ledger::contracts {
namespace {

// Adds `attester` to a sorted list; false when it was there already.
bool add_attester(std::vector<PublicKey>& list, const PublicKey& attester) {
  auto it = std::lower_bound(list.begin(), list.end(), attester);
  if (it != list.end() && *it == attester) return false;
  list.insert(it, attester);
  return true;
}

}  // namespace

TxResult register_member(const TxContext& c, ServiceState& s) {
  RegisterMemberPayload p;
  TxResult error;
  if (!decode_payload(c, "register member", p, error)) return error;
  if (p.role == Role::kAdmin)
    return fail(TxCode::kUnauthorized, "admins are named in the genesis, not registered");
  if (s.member(c.tx.signer)) return fail(TxCode::kConflict, "this key is a member already");
  MemberRecord m;
  m.role = p.role;
  m.profile_hash = p.profile_hash;
  m.joined_ms = c.time_ms;
  m.status =
      c.params.attestations_to_verify == 0 ? MemberStatus::kVerified : MemberStatus::kPending;
  s.put(c.tx.signer, m);
  return ok();
}

TxResult attest(const TxContext& c, ServiceState& s) {
  SubjectPayload p;
  TxResult error;
  if (!decode_payload(c, "attest", p, error)) return error;
  MemberRecord attester;
  if (TxResult r = require_active_member(s, c.tx.signer, "attest", &attester); !r.ok()) return r;
  const bool admin = attester.role == Role::kAdmin;
  if (p.kind == SubjectKind::kMember) {
    if (p.member == c.tx.signer) return fail(TxCode::kUnauthorized, "nobody attests themselves");
    auto m = s.member(p.member);
    if (!m) return fail(TxCode::kNotFound, "no member " + p.member.hex().substr(0, 16));
    if (m->status != MemberStatus::kPending)
      return fail(TxCode::kConflict, "the member is " + status_name(m->status) + " already");
    if (!add_attester(m->attesters, c.tx.signer))
      return fail(TxCode::kConflict, "this member attested the newcomer already");
    if (admin || m->attesters.size() >= c.params.attestations_to_verify)
      m->status = MemberStatus::kVerified;
    s.put(p.member, *m);
    return ok();
  }
  auto pile = s.pile(p.pile_id);
  auto info = s.pile_info(p.pile_id);
  if (!pile || !info) return fail(TxCode::kNotFound, "no pile \"" + p.pile_id + "\"");
  if (pile->owner == c.tx.signer)
    return fail(TxCode::kUnauthorized, "an owner does not attest their own pile");
  if (info->status != MemberStatus::kPending)
    return fail(TxCode::kConflict, "the pile is " + status_name(info->status) + " already");
  if (!add_attester(info->attesters, c.tx.signer))
    return fail(TxCode::kConflict, "this member attested the pile already");
  if (admin || info->attesters.size() >= c.params.attestations_to_verify)
    info->status = MemberStatus::kVerified;
  s.put(p.pile_id, *info);
  return ok();
}

TxResult reject(const TxContext& c, ServiceState& s) {
  SubjectPayload p;
  TxResult error;
  if (!decode_payload(c, "reject", p, error)) return error;
  if (!is_admin(s, c.tx.signer)) return fail(TxCode::kUnauthorized, "only an admin rejects");
  if (p.reason.empty()) return fail(TxCode::kInvalidPayload, "reject: give a reason");
  if (p.kind == SubjectKind::kMember) {
    auto m = s.member(p.member);
    if (!m) return fail(TxCode::kNotFound, "no member " + p.member.hex().substr(0, 16));
    if (m->status != MemberStatus::kPending)
      return fail(TxCode::kConflict, "only a pending registration is rejected");
    m->status = MemberStatus::kRejected;
    m->reason = p.reason;
    s.put(p.member, *m);
    return ok();
  }
  auto info = s.pile_info(p.pile_id);
  if (!info) return fail(TxCode::kNotFound, "no pile \"" + p.pile_id + "\"");
  if (info->status != MemberStatus::kPending)
    return fail(TxCode::kConflict, "only a pending pile is rejected");
  info->status = MemberStatus::kRejected;
  info->reason = p.reason;
  s.put(p.pile_id, *info);
  return ok();
}

TxResult suspend(const TxContext& c, ServiceState& s) {
  SuspendPayload p;
  TxResult error;
  if (!decode_payload(c, "suspend", p, error)) return error;
  if (!is_admin(s, c.tx.signer))
    return fail(TxCode::kUnauthorized, "only an admin suspends or reinstates");
  if (p.member == c.tx.signer)
    return fail(TxCode::kUnauthorized, "an admin does not suspend themselves");
  auto m = s.member(p.member);
  if (!m) return fail(TxCode::kNotFound, "no member " + p.member.hex().substr(0, 16));
  if (p.suspend) {
    if (m->status != MemberStatus::kVerified)
      return fail(TxCode::kConflict, "only a verified member is suspended");
    if (p.reason.empty()) return fail(TxCode::kInvalidPayload, "suspend: give a reason");
    m->status = MemberStatus::kSuspended;
    m->reason = p.reason;
  } else {
    if (m->status != MemberStatus::kSuspended)
      return fail(TxCode::kConflict, "only a suspended member is reinstated");
    m->status = MemberStatus::kVerified;
    m->reason.clear();
  }
  s.put(p.member, *m);
  return ok();
}

TxResult update_profile(const TxContext& c, ServiceState& s) {
  UpdateProfilePayload p;
  TxResult error;
  if (!decode_payload(c, "update profile", p, error)) return error;
  auto m = s.member(c.tx.signer);
  if (!m || m->status == MemberStatus::kMoved)
    return fail(TxCode::kNotFound, "not a member: register first");
  m->profile_hash = p.profile_hash;
  s.put(c.tx.signer, *m);
  return ok();
}

TxResult set_recovery(const TxContext& c, ServiceState& s) {
  SetRecoveryPayload p;
  TxResult error;
  if (!decode_payload(c, "set recovery", p, error)) return error;
  auto m = s.member(c.tx.signer);
  if (!m || m->status == MemberStatus::kMoved)
    return fail(TxCode::kNotFound, "not a member: register first");
  std::vector<PublicKey> guardians = p.guardians;
  std::sort(guardians.begin(), guardians.end());
  if (std::adjacent_find(guardians.begin(), guardians.end()) != guardians.end())
    return fail(TxCode::kInvalidPayload, "set recovery: a guardian is listed twice");
  if (std::find(guardians.begin(), guardians.end(), c.tx.signer) != guardians.end())
    return fail(TxCode::kInvalidPayload, "set recovery: a member is not their own guardian");
  if (p.threshold > guardians.size() || (!guardians.empty() && p.threshold == 0)) {
    return fail(TxCode::kInvalidPayload,
                "set recovery: threshold must be 1 to the number of guardians");
  }
  for (const PublicKey& g : guardians) {
    if (!s.member(g)) {
      return fail(TxCode::kNotFound,
                  "set recovery: guardian " + g.hex().substr(0, 16) + " is not a member");
    }
  }
  m->guardians = std::move(guardians);
  m->guardian_threshold = p.threshold;
  m->recovery_code_hashes = p.code_hashes;
  s.put(c.tx.signer, *m);
  return ok();
}

TxResult recover_account(const TxContext& c, ServiceState& s) {
  RecoverAccountPayload p;
  TxResult error;
  if (!decode_payload(c, "recover account", p, error)) return error;
  auto old_member = s.member(p.old_key);
  if (!old_member || old_member->status == MemberStatus::kMoved)
    return fail(TxCode::kNotFound, "recover account: no member to recover at that key");
  if (s.member(c.tx.signer)) return fail(TxCode::kConflict, "the new key is a member already");
  if (p.old_key == c.tx.signer) return fail(TxCode::kInvalidPayload, "recover account: same key");

  if (!p.recovery_code.empty()) {
    const Hash code = sha256(p.recovery_code);
    auto& codes = old_member->recovery_code_hashes;
    auto it = std::find(codes.begin(), codes.end(), code);
    if (it == codes.end())
      return fail(TxCode::kUnauthorized, "recover account: the recovery code is not valid");
    codes.erase(it);  // each code works once
  } else {
    const Bytes message = recovery_message(c.chain_id, p.old_key, c.tx.signer);
    std::vector<PublicKey> approved;
    for (const GuardianApproval& a : p.approvals) {
      const auto& g = old_member->guardians;
      if (!std::binary_search(g.begin(), g.end(), a.guardian)) {
        return fail(TxCode::kUnauthorized,
                    "recover account: " + a.guardian.hex().substr(0, 16) + " is not a guardian");
      }
      if (!verify(a.guardian, message, a.signature)) {
        return fail(TxCode::kBadSignature, "recover account: the approval of guardian " +
                                               a.guardian.hex().substr(0, 16) + " does not verify");
      }
      if (std::find(approved.begin(), approved.end(), a.guardian) == approved.end())
        approved.push_back(a.guardian);
    }
    if (old_member->guardian_threshold == 0 || approved.size() < old_member->guardian_threshold) {
      return fail(TxCode::kUnauthorized,
                  "recover account: " + std::to_string(approved.size()) + " guardians approve, " +
                      std::to_string(old_member->guardian_threshold) + " are needed");
    }
  }
  // The member, wallet and history pointers move; the old key keeps only a forwarding mark.
  MemberRecord moved = *old_member;
  s.put(c.tx.signer, moved);
  AccountRecord old_account = s.account(p.old_key);
  AccountRecord new_account = s.account(c.tx.signer);
  new_account.balance += old_account.balance;
  new_account.last_charging = old_account.last_charging;
  new_account.last_evaluation = old_account.last_evaluation;
  old_account.balance = 0;
  s.put(c.tx.signer, new_account);
  s.put(p.old_key, old_account);
  old_member->status = MemberStatus::kMoved;
  old_member->moved_to = c.tx.signer;
  old_member->recovery_code_hashes.clear();
  s.put(p.old_key, *old_member);
  return ok();
}

}  // namespace pilemesh::ledger::contracts
