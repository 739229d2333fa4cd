// Fuzzes the sharing service's JSON input: the body the API turns into a transaction payload
// (ledger::payload_from_json, for every transaction type) and the query strings of its requests
// (web::query_params) and their Cookie headers (web::cookie_value). Never a crash; a refusal always
// says why; and whatever is accepted is a payload the ledger's binary decoders take back,
// re-encoding to exactly the same bytes, and whose JSON form (as the API and the CLI show it) makes
// the same payload again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "pilemesh/ledger/ledger_json.hpp"
#include "pilemesh/ledger/payloads.hpp"
#include "pilemesh/ledger/service_codec.hpp"
#include "pilemesh/web/http.hpp"

namespace {

using pilemesh::ledger::Bytes;
using pilemesh::ledger::TxType;

template <class T>
void decodes_back(const Bytes& bytes) {
  std::string error;
  const auto value = pilemesh::ledger::decode_service<T>(bytes, error);
  if (!value) std::abort();  // made from JSON, refused by the binary decoder
  if (pilemesh::ledger::encode_service(*value) != bytes) std::abort();
}

// The payload type of each transaction type made from JSON at the time of writing; types added
// later are still checked through their JSON form below.
void decodes_back(TxType type, const Bytes& bytes) {
  using namespace pilemesh::ledger;
  switch (type) {
    case TxType::kTransfer: {
      std::string error;
      const auto value = decode_transfer(bytes, error);
      if (!value || encode(*value) != bytes) std::abort();
      return;
    }
    case TxType::kRegisterPile:
    case TxType::kUpdatePile:
      return decodes_back<PileSpecPayload>(bytes);
    case TxType::kRegisterMember:
      return decodes_back<RegisterMemberPayload>(bytes);
    case TxType::kAttest:
    case TxType::kReject:
      return decodes_back<SubjectPayload>(bytes);
    case TxType::kSuspend:
      return decodes_back<SuspendPayload>(bytes);
    case TxType::kUpdateProfile:
      return decodes_back<UpdateProfilePayload>(bytes);
    case TxType::kRetirePile:
      return decodes_back<PileIdPayload>(bytes);
    case TxType::kSetRecovery:
      return decodes_back<SetRecoveryPayload>(bytes);
    case TxType::kRecoverAccount:
      return decodes_back<RecoverAccountPayload>(bytes);
    case TxType::kStartSession:
      return decodes_back<StartSessionPayload>(bytes);
    case TxType::kStopSession:
      return decodes_back<StopSessionPayload>(bytes);
    case TxType::kRateSession:
      return decodes_back<RateSessionPayload>(bytes);
    case TxType::kRespondRating:
      return decodes_back<RespondRatingPayload>(bytes);
    case TxType::kSetTariff:
      return decodes_back<SetTariffPayload>(bytes);
    case TxType::kBook:
      return decodes_back<BookPayload>(bytes);
    case TxType::kModifyBooking:
      return decodes_back<ModifyBookingPayload>(bytes);
    case TxType::kCancelBooking:
    case TxType::kMarkNoShow:
      return decodes_back<BookingIdPayload>(bytes);
    case TxType::kRequestTopUp:
      return decodes_back<RequestTopUpPayload>(bytes);
    case TxType::kConfirmTopUp:
      return decodes_back<ConfirmTopUpPayload>(bytes);
    case TxType::kWithdraw:
      return decodes_back<WithdrawPayload>(bytes);
    case TxType::kPostChargeRequest:
      return decodes_back<PostChargeRequestPayload>(bytes);
    case TxType::kBid:
      return decodes_back<BidPayload>(bytes);
    case TxType::kCloseAuction:
      return decodes_back<CloseAuctionPayload>(bytes);
    case TxType::kRevealDecision:
      return decodes_back<RevealDecisionPayload>(bytes);
    default:
      return;
  }
}

// The payload as a transaction shows it (decoded by the ledger's own dispatch, {"hex": ...} when
// its decoder refuses it) must be accepted again and give the same bytes.
void json_round_trip(TxType type, const Bytes& bytes) {
  pilemesh::ledger::Transaction tx;
  tx.type = type;
  tx.payload = bytes;
  const nlohmann::json shown = pilemesh::ledger::to_json(tx).at("payload");
  if (shown.is_object() && shown.size() == 1 && shown.contains("hex")) std::abort();
  std::string error;
  const auto again = pilemesh::ledger::payload_from_json(type, shown, error);
  if (!again || *again != bytes) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)pilemesh::web::query_params(text);
  // A cookie's value is a piece of one "name=value" pair: never across a ';'.
  if (pilemesh::web::cookie_value(text, "pm_session").find(';') != std::string::npos) std::abort();

  const nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  for (std::uint16_t t = 0; t < 64; ++t) {
    const auto type = static_cast<TxType>(t);
    std::string error;
    const std::optional<Bytes> payload = pilemesh::ledger::payload_from_json(type, body, error);
    if (!payload) {
      if (error.empty()) std::abort();  // a refusal must say why
      continue;
    }
    decodes_back(type, *payload);
    json_round_trip(type, *payload);
  }
  return 0;
}
