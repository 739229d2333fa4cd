// From a transaction type to its contract, and the service's part of the genesis state.
#include "contracts_impl.hpp"

namespace pilemesh::ledger {

using Contract = TxResult (*)(const TxContext&, ServiceState&);

namespace {

Contract contract_of(TxType type) {
  using namespace contracts;
  switch (type) {
    case TxType::kRegisterPile:
      return register_pile;
    case TxType::kRegisterMember:
      return register_member;
    case TxType::kAttest:
      return attest;
    case TxType::kReject:
      return reject;
    case TxType::kSuspend:
      return suspend;
    case TxType::kUpdateProfile:
      return update_profile;
    case TxType::kUpdatePile:
      return update_pile;
    case TxType::kRetirePile:
      return retire_pile;
    case TxType::kSetRecovery:
      return set_recovery;
    case TxType::kRecoverAccount:
      return recover_account;
    case TxType::kStartSession:
      return start_session;
    case TxType::kStopSession:
      return stop_session;
    case TxType::kRateSession:
      return rate_session;
    case TxType::kRespondRating:
      return respond_rating;
    case TxType::kSetTariff:
      return set_tariff;
    case TxType::kBook:
      return book;
    case TxType::kModifyBooking:
      return modify_booking;
    case TxType::kCancelBooking:
      return cancel_booking;
    case TxType::kMarkNoShow:
      return mark_no_show;
    case TxType::kRequestTopUp:
      return request_top_up;
    case TxType::kConfirmTopUp:
      return confirm_top_up;
    case TxType::kWithdraw:
      return withdraw;
    case TxType::kPostChargeRequest:
      return post_charge_request;
    case TxType::kBid:
      return bid;
    case TxType::kCloseAuction:
      return close_auction;
    case TxType::kRevealDecision:
      return reveal_decision;
    case TxType::kSettleDebt:
      return settle_debt;
    case TxType::kTransfer:
    case TxType::kChargingRecord:
    case TxType::kEvaluation:
      break;
  }
  return nullptr;
}

}  // namespace

bool is_service_type(TxType type) {
  return contract_of(type) != nullptr;
}

TxResult execute_service(const TxContext& context, KvState& state) {
  const Contract contract = contract_of(context.tx.type);
  if (contract == nullptr) {
    return {TxCode::kUnknownType,
            "unknown transaction type " + std::to_string(static_cast<int>(context.tx.type))};
  }
  ServiceState s(state);
  return contract(context, s);
}

void init_service(const Genesis& genesis, KvState& state) {
  ServiceState s(state);
  state.put(state_keys::params(), encode_service(genesis.params));
  for (const GenesisMember& g : genesis.members) {
    MemberRecord m;
    m.role = g.role;
    m.status = MemberStatus::kVerified;
    m.joined_ms = genesis.time_ms;
    s.put(g.key, m);
  }
  Supply supply;
  for (const GenesisAccount& a : genesis.accounts) supply.total += a.balance;
  s.put(supply);
}

ServiceParams read_service_params(const KvState& state) {
  const auto bytes = state.get(state_keys::params());
  if (!bytes) return ServiceParams{};
  std::string error;
  auto params = decode_service<ServiceParams>(*bytes, error);
  if (!params) throw std::runtime_error("corrupt state record: service params: " + error);
  return *params;
}

}  // namespace pilemesh::ledger
