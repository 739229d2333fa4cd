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
    case TxType::kPostChargeRequest:
      return "post_charge_request";
    case TxType::kBid:
      return "bid";
    case TxType::kCloseAuction:
      return "close_auction";
    case TxType::kRevealDecision:
      return "reveal_decision";
    case TxType::kSettleDebt:
      return "settle_debt";
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

// Calls fn.template operator()<PayloadType>() for the payload type of a service transaction.
template <class Fn>
auto with_payload_type(TxType type, Fn&& fn) {
  switch (type) {
    case TxType::kRegisterPile:
    case TxType::kUpdatePile:
      return fn.template operator()<PileSpecPayload>();
    case TxType::kRegisterMember:
      return fn.template operator()<RegisterMemberPayload>();
    case TxType::kAttest:
    case TxType::kReject:
      return fn.template operator()<SubjectPayload>();
    case TxType::kSuspend:
      return fn.template operator()<SuspendPayload>();
    case TxType::kUpdateProfile:
      return fn.template operator()<UpdateProfilePayload>();
    case TxType::kRetirePile:
      return fn.template operator()<PileIdPayload>();
    case TxType::kSetRecovery:
      return fn.template operator()<SetRecoveryPayload>();
    case TxType::kRecoverAccount:
      return fn.template operator()<RecoverAccountPayload>();
    case TxType::kStartSession:
      return fn.template operator()<StartSessionPayload>();
    case TxType::kStopSession:
      return fn.template operator()<StopSessionPayload>();
    case TxType::kRateSession:
      return fn.template operator()<RateSessionPayload>();
    case TxType::kRespondRating:
      return fn.template operator()<RespondRatingPayload>();
    case TxType::kSetTariff:
      return fn.template operator()<SetTariffPayload>();
    case TxType::kBook:
      return fn.template operator()<BookPayload>();
    case TxType::kModifyBooking:
      return fn.template operator()<ModifyBookingPayload>();
    case TxType::kCancelBooking:
    case TxType::kMarkNoShow:
    case TxType::kSettleDebt:
      return fn.template operator()<BookingIdPayload>();
    case TxType::kRequestTopUp:
      return fn.template operator()<RequestTopUpPayload>();
    case TxType::kConfirmTopUp:
      return fn.template operator()<ConfirmTopUpPayload>();
    case TxType::kWithdraw:
      return fn.template operator()<WithdrawPayload>();
    case TxType::kPostChargeRequest:
      return fn.template operator()<PostChargeRequestPayload>();
    case TxType::kBid:
      return fn.template operator()<BidPayload>();
    case TxType::kCloseAuction:
      return fn.template operator()<CloseAuctionPayload>();
    case TxType::kRevealDecision:
      return fn.template operator()<RevealDecisionPayload>();
    default:
      return fn.template operator()<void>();
  }
}

std::optional<json> service_payload_json(TxType type, std::span<const std::uint8_t> payload) {
  return with_payload_type(type, [&]<class T>() -> std::optional<json> {
    if constexpr (std::is_void_v<T>) {
      return std::nullopt;
    } else {
      std::string error;
      auto p = decode_service<T>(payload, error);
      if (!p) return std::nullopt;
      return service_to_json(*p);
    }
  });
}

}  // namespace

json payload_to_json(const Transaction& tx) {
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

std::optional<Bytes> payload_from_json(TxType type, const json& payload, std::string& error) {
  if (type == TxType::kTransfer) {
    if (!payload.is_object() || !payload.contains("to") || !payload["to"].is_string() ||
        !payload.contains("amount") || !payload["amount"].is_number_integer() ||
        payload["amount"].get<std::int64_t>() < 0) {
      error = "expected {\"to\": \"<hex key>\", \"amount\": a whole number >= 0}";
      return std::nullopt;
    }
    auto to = PublicKey::from_hex(payload["to"].get<std::string>());
    if (!to) {
      error = "to: expected 64 hex digits";
      return std::nullopt;
    }
    return encode(
        TransferPayload{*to, static_cast<std::uint64_t>(payload["amount"].get<std::int64_t>())});
  }
  return with_payload_type(type, [&]<class T>() -> std::optional<Bytes> {
    if constexpr (std::is_void_v<T>) {
      error = "transactions of this type are not made from JSON";
      return std::nullopt;
    } else {
      auto p = service_from_json<T>(payload, error);
      if (!p) return std::nullopt;
      return encode_service(*p);
    }
  });
}

json to_json(const Transaction& tx) {
  return {{"hash", hash_of(tx).hex()},      {"chain_id", tx.chain_id},
          {"type", tx_type_name(tx.type)},  {"type_id", static_cast<std::uint16_t>(tx.type)},
          {"signer", tx.signer.hex()},      {"nonce", tx.nonce},
          {"payload", payload_to_json(tx)}, {"signature", to_hex(tx.signature.bytes)}};
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
