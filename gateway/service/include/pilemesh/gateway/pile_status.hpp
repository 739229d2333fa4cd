// A pile's live status — available, occupied, faulted, offline — as its gateway announces it
// to the neighbourhood. It changes far too often to be a ledger transaction per change, so it
// is a small message signed by the pile's owner key (the gateway's own key for its piles) and
// sent to peers by the mesh, which keeps only the newest per pile. Peers check the signature
// against the pile's owner on the ledger, so nobody else can mark a pile occupied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pilemesh/gateway/live_state.hpp"
#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/key_store.hpp"

namespace pilemesh::gateway {

enum class PileAvailability : std::uint8_t {
  kAvailable = 1,  // free to plug in
  kOccupied = 2,   // a vehicle is plugged in or charging
  kFaulted = 3,    // the pile reports a fault or is out of service
  kOffline = 4,    // its gateway cannot reach it
};

std::string_view to_string(PileAvailability a);

// The status a pile's HAL state shows: offline when its driver is not connected; otherwise the
// worst of its connectors (faulted, then occupied, then available).
PileAvailability availability_of(const PileState& pile);

struct PileStatusAnnouncement {
  std::string pile_id;
  PileAvailability status = PileAvailability::kOffline;
  std::int64_t time_ms = 0;  // when the gateway saw it; newer replaces older
  ledger::PublicKey signer;  // must be the pile's owner on the ledger
  ledger::Signature signature;
};

inline constexpr std::uint8_t kPileStatusVersion = 1;
// Peers drop announcements older than this; a gateway renews an unchanged one after half of it
// (whenever its pile reports or a block is made).
inline constexpr std::int64_t kPileStatusMaxAgeMs = 10 * 60'000;

// Signs: "pilemesh/pile-status/v1" ‖ chain id ‖ the encoding without the signature, so an
// announcement of one neighbourhood is worth nothing in another.
PileStatusAnnouncement sign_pile_status(const ledger::KeyStore& key, std::string_view chain_id,
                                        std::string pile_id, PileAvailability status,
                                        std::int64_t time_ms);
bool verify_pile_status(const PileStatusAnnouncement& a, std::string_view chain_id);

// The wire form: version byte, pile id, status, time, signer, signature.
ledger::Bytes encode(const PileStatusAnnouncement& a);
// Nothing, with `error` naming the field, for bytes that are not exactly one announcement.
std::optional<PileStatusAnnouncement> decode_pile_status(std::span<const std::uint8_t> bytes,
                                                         std::string& error);

}  // namespace pilemesh::gateway
