#include "pilemesh/ledger/ledger_json.hpp"

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/payloads.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::ledger {

using nlohmann::json;

std::string_view tx_type_name(TxType type) {
  switch (type) {
    case TxType::kTransfer:
      return "transfer";
    case TxType::kRegisterPile:
      return "register_pile";
    case TxType::kRegisterMember:
      return "register_member";
    case TxType::kAttest:
      return "attest";
    case TxType::kReject:
      return "reject";
    case TxType::kSuspend:
      return "suspend";
    case TxType::kUpdateProfile:
      return "update_profile";
    case TxType::kUpdatePile:
      return "update_pile";
    case TxType::kRetirePile:
      return "retire_pile";
    case TxType::kSetRecovery:
      return "set_recovery";
    case TxType::kRecoverAccount:
      return "recover_account";
    case TxType::kChargingRecord:
      return "charging_record";
    case TxType::kStartSession:
      return "start_session";
    case TxType::kStopSession:
      return "stop_session";
    case TxType::kEvaluation:
      return "evaluation";
    case TxType::kRateSession:
      return "rate_session";
    case TxType::kRespondRating:
      return "respond_rating";
    case TxType::kSetTariff:
      return "set_tariff";
    case TxType::kBook:
      return "book";
    case TxType::kModifyBooking:
      return "modify_booking";
    case TxType::kCancelBooking:
      return "cancel_booking";
    case TxType::kMarkNoShow:
      return "mark_no_show";
    case TxType::kRequestTopUp:
      return "request_top_up";
    case TxType::kConfirmTopUp:
      return "confirm_top_up";
    case TxType::kWithdraw:
      return "withdraw";
  }
  return "unknown";
}

std::optional<TxType> tx_type_from_name(std::string_view name) {
  for (std::uint16_t t = 0; t < 64; ++t) {
    const auto type = static_cast<TxType>(t);
    if (tx_type_name(type) != "unknown" && tx_type_name(type) == name) return type;
  }
  return std::nullopt;
}

std::string_view branch_name(Branch branch) {
  switch (branch) {
    case Branch::kIdentity:
      return "identity";
    case Branch::kCharging:
      return "charging";
    case Branch::kEvaluation:
      return "evaluation";
    case Branch::kMarket:
      return "market";
  }
  return "unknown";
}

json to_json(const BlockHeader& h, const Hash& hash) {
  json branches = json::array();
  for (const BranchLink& b : h.branches) {
    branches.push_back({{"branch", branch_name(b.branch)},
                        {"branch_height", b.branch_height},
                        {"prev_branch_block", b.prev_branch_block.hex()}});
  }
  return {{"hash", hash.hex()},
          {"chain_id", h.chain_id},
          {"height", h.height},
          {"time_ms", h.time_ms},
          {"prev_block", h.prev_block.hex()},
          {"branches", std::move(branches)},
          {"tx_root", h.tx_root.hex()},
          {"state_root", h.state_root.hex()},
          {"proposer", h.proposer.hex()},
          {"validators_hash", h.validators_hash.hex()},
          {"last_commit_hash", h.last_commit_hash.hex()}};
}

json to_json(const Commit& c) {
  json signatures = json::array();
  for (const auto& s : c.signatures) {
    signatures.push_back(
        {{"validator", s.validator.hex()}, {"signature", to_hex(s.signature.bytes)}});
  }
  return {{"height", c.height},
          {"round", c.round},
          {"block_hash", c.block_hash.hex()},
          {"signatures", std::move(signatures)}};
}

namespace {

template <class T>
std::optional<json> as_json(std::span<const std::uint8_t> payload) {
  std::string error;
  auto p = decode_service<T>(payload, error);
  if (!p) return std::nullopt;
  return service_to_json(*p);
}

std::optional<json> service_payload_json(TxType type, std::span<const std::uint8_t> payload) {
  switch (type) {
    case TxType::kRegisterPile:
    case TxType::kUpdatePile:
      return as_json<PileSpecPayload>(payload);
    case TxType::kRegisterMember:
      return as_json<RegisterMemberPayload>(payload);
    case TxType::kAttest:
    case TxType::kReject:
      return as_json<SubjectPayload>(payload);
    case TxType::kSuspend:
      return as_json<SuspendPayload>(payload);
    case TxType::kUpdateProfile:
      return as_json<UpdateProfilePayload>(payload);
    case TxType::kRetirePile:
      return as_json<PileIdPayload>(payload);
    case TxType::kSetRecovery:
      return as_json<SetRecoveryPayload>(payload);
    case TxType::kRecoverAccount:
      return as_json<RecoverAccountPayload>(payload);
    case TxType::kStartSession:
      return as_json<StartSessionPayload>(payload);
    case TxType::kStopSession:
      return as_json<StopSessionPayload>(payload);
    case TxType::kRateSession:
      return as_json<RateSessionPayload>(payload);
    case TxType::kRespondRating:
      return as_json<RespondRatingPayload>(payload);
    case TxType::kSetTariff:
      return as_json<SetTariffPayload>(payload);
    case TxType::kBook:
      return as_json<BookPayload>(payload);
    case TxType::kModifyBooking:
      return as_json<ModifyBookingPayload>(payload);
    case TxType::kCancelBooking:
    case TxType::kMarkNoShow:
      return as_json<BookingIdPayload>(payload);
    case TxType::kRequestTopUp:
      return as_json<RequestTopUpPayload>(payload);
    case TxType::kConfirmTopUp:
      return as_json<ConfirmTopUpPayload>(payload);
    case TxType::kWithdraw:
      return as_json<WithdrawPayload>(payload);
    default:
      return std::nullopt;
  }
}

json payload_json(const Transaction& tx) {
  std::string error;
  switch (tx.type) {
    case TxType::kTransfer:
      if (auto p = decode_transfer(tx.payload, error))
        return {{"to", p->to.hex()}, {"amount", p->amount}};
      break;
    case TxType::kChargingRecord:
      if (auto p = decode_charging(tx.payload, error)) {
        return {{"pile_id", p->pile_id},
                {"ev", p->ev.hex()},
                {"energy_wh", p->energy_wh},
                {"started_ms", p->started_ms},
                {"stopped_ms", p->stopped_ms},
                {"prev_pile_charging", p->prev_pile_charging.hex()},
                {"prev_ev_charging", p->prev_ev_charging.hex()}};
      }
      break;
    case TxType::kEvaluation:
      if (auto p = decode_evaluation(tx.payload, error)) {
        return {{"pile_id", p->pile_id},
                {"charging_tx", p->charging_tx.hex()},
                {"score", p->score},
                {"prev_pile_evaluation", p->prev_pile_evaluation.hex()},
                {"prev_ev_evaluation", p->prev_ev_evaluation.hex()}};
      }
      break;
    default:
      if (auto j = service_payload_json(tx.type, tx.payload)) return *j;
      break;
  }
  return {{"hex", to_hex(tx.payload)}};
}
}  // namespace

json to_json(const Transaction& tx) {
  return {{"hash", hash_of(tx).hex()},     {"chain_id", tx.chain_id},
          {"type", tx_type_name(tx.type)}, {"type_id", static_cast<std::uint16_t>(tx.type)},
          {"signer", tx.signer.hex()},     {"nonce", tx.nonce},
          {"payload", payload_json(tx)},   {"signature", to_hex(tx.signature.bytes)}};
}

json to_json(const TxResult& r) {
  return {{"code", to_string(r.code)}, {"log", r.log}};
}

json to_json(const MerkleProof& p) {
  json path = json::array();
  for (const Hash& h : p.path) path.push_back(h.hex());
  return {{"index", p.index}, {"leaf_count", p.leaf_count}, {"path", std::move(path)}};
}

json to_json(const TxRecord& r) {
  json j = to_json(r.tx);
  j["height"] = r.height;
  j["index"] = r.index;
  j["result"] = to_json(r.result);
  return j;
}

}  // namespace pilemesh::ledger
