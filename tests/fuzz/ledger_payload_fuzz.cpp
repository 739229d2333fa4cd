// Fuzzes the payload and record decoders of the ledger's transaction types (bytes from any signed
// transaction): never a crash, and whatever decodes re-encodes to exactly the same bytes.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "pilemesh/ledger/payloads.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace {
template <class Decode>
void round_trip(std::span<const std::uint8_t> bytes, Decode decode) {
  std::string error;
  if (auto value = decode(bytes, error)) {
    const auto again = pilemesh::ledger::encode(*value);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
  } else if (error.empty()) {
    std::abort();  // a refusal must say why
  }
}
template <class T>
void service_round_trip(std::span<const std::uint8_t> bytes) {
  std::string error;
  if (auto value = pilemesh::ledger::decode_service<T>(bytes, error)) {
    const auto again = pilemesh::ledger::encode_service(*value);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
  } else if (error.empty()) {
    std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pilemesh::ledger;
  const std::span<const std::uint8_t> bytes(data, size);
  round_trip(bytes, decode_transfer);
  round_trip(bytes, decode_charging);
  round_trip(bytes, decode_evaluation);
  round_trip(bytes, decode_account);
  round_trip(bytes, decode_pile);
  round_trip(bytes, decode_charge);
  // The sharing service's payloads (what any member can put in a transaction) and records.
  service_round_trip<RegisterMemberPayload>(bytes);
  service_round_trip<SubjectPayload>(bytes);
  service_round_trip<SuspendPayload>(bytes);
  service_round_trip<UpdateProfilePayload>(bytes);
  service_round_trip<PileSpecPayload>(bytes);
  service_round_trip<PileIdPayload>(bytes);
  service_round_trip<SetRecoveryPayload>(bytes);
  service_round_trip<RecoverAccountPayload>(bytes);
  service_round_trip<SetTariffPayload>(bytes);
  service_round_trip<BookPayload>(bytes);
  service_round_trip<ModifyBookingPayload>(bytes);
  service_round_trip<BookingIdPayload>(bytes);
  service_round_trip<StartSessionPayload>(bytes);
  service_round_trip<StopSessionPayload>(bytes);
  service_round_trip<RateSessionPayload>(bytes);
  service_round_trip<RespondRatingPayload>(bytes);
  service_round_trip<RequestTopUpPayload>(bytes);
  service_round_trip<ConfirmTopUpPayload>(bytes);
  service_round_trip<WithdrawPayload>(bytes);
  service_round_trip<MemberRecord>(bytes);
  service_round_trip<PileInfo>(bytes);
  service_round_trip<BookingRecord>(bytes);
  service_round_trip<PileSlots>(bytes);
  return 0;
}
