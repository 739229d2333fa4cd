// The state records of the sharing service's contracts (docs/service.md): members, pile
// specifications and their live bookings, tariffs, bookings with their sessions, top-ups and
// ratings. Every record is written only by the contracts, in its canonical encoding
// (service_codec.hpp). Money is in integer minor units, times are block times in Unix ms,
// scores are integers or fixed point (reputation.hpp). Nothing personal is kept in the clear:
// profiles and review texts are off-chain, their hashes on-chain; a pile's exact address is
// sealed for the booked member only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger {

using Bytes = std::vector<std::uint8_t>;

// ---- Limits, checked by the decoders --------------------------------------------------------
inline constexpr std::size_t kMaxConnectors = 8;
inline constexpr std::size_t kMaxWeeklyWindows = 28;
inline constexpr std::size_t kMaxClosures = 32;  // exceptions and maintenance windows
inline constexpr std::size_t kMaxTouWindows = 8;
inline constexpr std::size_t kMaxGeohashBytes = 12;
inline constexpr std::size_t kMaxSealedAddressBytes = 512;
inline constexpr std::size_t kMaxReasonBytes = 200;
inline constexpr std::size_t kMaxAttesters = 16;
inline constexpr std::size_t kMaxGuardians = 5;
inline constexpr std::size_t kMaxRecoveryCodes = 10;
inline constexpr std::size_t kMaxLiveBookingsPerPile = 256;
inline constexpr std::size_t kMaxReferenceBytes = 35;  // an EPC QR remittance reference
inline constexpr std::size_t kMaxTokenBytes = 64;
inline constexpr std::uint64_t kMaxAmount = 1'000'000'000'00;  // 1e9 major units: no overflow

enum class MemberStatus : std::uint8_t {
  kPending = 1,    // registered, waiting for attestations
  kVerified = 2,   // may book (members) or be booked (piles)
  kRejected = 3,   // refused by an admin, with a reason
  kSuspended = 4,  // stopped by an admin; may be reinstated
  kRetired = 5,    // piles only: out of service for good
  kMoved = 6,      // members only: recovered to another key
};

enum class ConnectorType : std::uint8_t {
  kType2 = 1,
  kCcs2 = 2,
  kCcs1 = 3,
  kChademo = 4,
  kGbt = 5,
  kNacs = 6,
};

// Amenities of a pile's place, as bits.
enum Amenity : std::uint32_t {
  kAmenityCovered = 1u << 0,
  kAmenityLit = 1u << 1,
  kAmenityWheelchair = 1u << 2,
  kAmenityToilet = 1u << 3,
  kAmenityCafe = 1u << 4,
  kAmenityWifi = 1u << 5,
  kAmenityCable = 1u << 6,  // a cable is attached; bring none
};
inline constexpr std::uint32_t kKnownAmenities = (1u << 7) - 1;

struct Connector {
  ConnectorType type = ConnectorType::kType2;
  std::uint32_t max_power_w = 0;
  auto operator<=>(const Connector&) const = default;
};

// Weekdays as bits, Monday = bit 0 ... Sunday = bit 6; minutes of the local day.
struct WeeklyWindow {
  std::uint8_t weekdays = 0;
  std::uint16_t from_minute = 0;  // 0..1439
  std::uint16_t to_minute = 0;    // from_minute+1..1440
  auto operator<=>(const WeeklyWindow&) const = default;
};

// A closed span of block time [from_ms, to_ms): an exception to the weekly availability or a
// maintenance window.
struct TimeRange {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  auto operator<=>(const TimeRange&) const = default;
};

struct PileSpec {
  std::string geohash;   // coarse public location, 5..12 geohash characters
  Bytes sealed_address;  // the exact address, sealed to booked members (may be empty)
  std::vector<Connector> connectors;
  std::uint8_t phases = 3;                 // 1 or 3
  std::uint32_t amenities = 0;             // Amenity bits
  std::vector<WeeklyWindow> availability;  // empty: never available
  std::vector<TimeRange> closures;         // exceptions and maintenance, not bookable
  auto operator<=>(const PileSpec&) const = default;
};

// A pile open all week with one connector: what a gateway registers for a configured pile until
// its owner describes it, and what tests start from.
inline PileSpec always_available_spec(std::string geohash, std::uint32_t max_power_w,
                                      ConnectorType type = ConnectorType::kType2) {
  PileSpec spec;
  spec.geohash = std::move(geohash);
  spec.connectors = {{type, max_power_w}};
  spec.availability = {{0x7f, 0, 1440}};
  return spec;
}

// A time-of-use window replaces the tariff's energy price inside it.
struct TouWindow {
  WeeklyWindow when;
  std::uint64_t price_per_kwh = 0;
  auto operator<=>(const TouWindow&) const = default;
};

struct Tariff {
  std::uint64_t price_per_kwh = 0;     // minor units per kWh
  std::uint64_t price_per_minute = 0;  // while a session runs
  std::uint64_t idle_per_minute = 0;   // for each minute a session overruns its slot
  std::uint64_t booking_fee = 0;
  std::int64_t free_cancel_before_ms = 0;  // cancelling earlier than this before start is free
  std::uint64_t cancel_fee = 0;            // later than that
  std::uint64_t no_show_fee = 0;
  std::vector<TouWindow> time_of_use;
  auto operator<=>(const Tariff&) const = default;
};

struct MemberRecord {
  Role role = Role::kEvUser;
  MemberStatus status = MemberStatus::kPending;
  Hash profile_hash;  // of the off-chain profile
  std::int64_t joined_ms = 0;
  std::vector<PublicKey> attesters;  // sorted
  std::string reason;                // of a rejection or a suspension
  std::int64_t credibility = 0;      // R_v = Σ B, formula (1)
  std::uint64_t sessions = 0;        // settled sessions as the charging member
  std::uint64_t debt = 0;            // a settlement the wallet could not cover
  std::vector<PublicKey> guardians;  // sorted; approve a recovery together
  std::uint8_t guardian_threshold = 0;
  std::vector<Hash> recovery_code_hashes;  // sha256 of each unused recovery code
  PublicKey moved_to;                      // after a recovery
};

// What the service keeps about a pile beside its PileRecord (owner and back-pointers).
struct PileInfo {
  MemberStatus status = MemberStatus::kPending;
  PileSpec spec;
  std::vector<PublicKey> attesters;
  std::string reason;
  bool has_tariff = false;
  Tariff tariff;
  std::uint32_t tariff_version = 0;
  std::int64_t score = 0;  // R_cp of formula (2), fixed point; starts at 0
  std::uint64_t ratings = 0;
  std::int64_t registered_ms = 0;
};

enum class BookingStatus : std::uint8_t {
  kBooked = 1,
  kCharging = 2,
  kCompleted = 3,  // stopped and settled
  kCancelled = 4,
  kNoShow = 5,
};

enum class StopReason : std::uint8_t { kByUser = 1, kByPile = 2, kSlotEnd = 3 };

// A booking of one pile by one member, and later its session. The id is the hash of the
// booking transaction.
struct BookingRecord {
  std::string pile_id;
  PublicKey member;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  Tariff tariff;  // the tariff in force when it was booked
  std::uint32_t tariff_version = 0;
  std::uint64_t escrow = 0;  // locked from the member's wallet
  Hash token_hash;           // sha256 of the QR or RFID token that authorizes the session
  BookingStatus status = BookingStatus::kBooked;
  std::int64_t booked_ms = 0;
  // The session.
  std::int64_t started_ms = 0;
  std::uint64_t meter_start_wh = 0;
  std::int64_t stopped_ms = 0;
  std::uint64_t energy_wh = 0;
  Hash meter_chain_hash;  // the last link of the off-chain meter-value hash chain
  std::uint32_t meter_values = 0;
  StopReason stop_reason = StopReason::kByUser;
  // Settlement.
  std::uint64_t energy_cost = 0;
  std::uint64_t time_cost = 0;
  std::uint64_t fees = 0;  // booking fee, or a cancellation or no-show fee
  std::uint64_t paid = 0;  // what the owner received
  std::uint64_t refunded = 0;
  std::uint64_t unpaid = 0;   // what the wallet could not cover at settlement (the member's debt)
  std::int8_t behaviour = 0;  // B of formula (1)
  Hash charging_tx;           // the stop transaction (the charging record)
  Hash rating_tx;             // zero until rated
};

// A pile's bookings that still hold a slot (booked or charging), sorted by start.
struct LiveSlot {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  Hash booking;
  auto operator<=>(const LiveSlot&) const = default;
};
struct PileSlots {
  std::vector<LiveSlot> slots;
};

// How the member pays the payee, off the ledger. 1 and 2 are the gateway's built-in methods;
// plugins add numbers from 16 (hal/top_up.hpp). The contracts treat every method alike: the
// payee confirms what arrived.
enum class TopUpMethod : std::uint8_t { kManual = 1, kSepaTransfer = 2 };
inline constexpr TopUpMethod kLastTopUpMethod = static_cast<TopUpMethod>(255);
enum class TopUpStatus : std::uint8_t { kRequested = 1, kConfirmed = 2 };

struct TopUpRecord {
  PublicKey member;
  PublicKey payee;  // the owner or admin who receives the money and confirms it
  std::uint64_t amount = 0;
  TopUpMethod method = TopUpMethod::kManual;
  std::string reference;
  TopUpStatus status = TopUpStatus::kRequested;
  std::int64_t requested_ms = 0;
  std::int64_t confirmed_ms = 0;
};

struct RatingRecord {
  Hash booking;
  std::string pile_id;
  PublicKey member;
  std::uint8_t score = 0;  // W in 1..3
  Hash review_hash;        // zero: no written review
  Hash response_hash;      // the owner's answer; zero until answered
  std::int64_t rated_ms = 0;
};

inline constexpr std::size_t kMaxBidsPerRequest = 32;

// One pile's standing offer in an auction; a later bid of the same pile replaces it.
struct AuctionBid {
  std::string pile_id;
  PublicKey owner;
  std::uint32_t power_w = 0;  // V_b: the charging power the pile guarantees
  std::uint64_t price = 0;    // B: the price of the whole requested charge
  std::uint64_t deposit = 0;  // locked from the owner's wallet until the auction closes
};

enum class AuctionStatus : std::uint8_t { kOpen = 1, kAwarded = 2, kUnfilled = 3 };

// A charge request and its auction. The id is the hash of the request transaction.
struct ChargeRequestRecord {
  PublicKey member;
  std::string geohash;          // where the member is
  std::uint8_t area_chars = 0;  // the area R: piles whose geohash shares this prefix
  std::uint64_t energy_wh = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::uint64_t price_ceiling = 0;  // locked in escrow while the auction runs
  std::int64_t deadline_ms = 0;     // bids until then
  Hash token_hash;                  // carried into the booking
  AuctionStatus status = AuctionStatus::kOpen;
  std::vector<AuctionBid> bids;
  std::string winner;     // the pile chosen by screening
  Hash booking;           // the booking the winning bid became
  Hash commitment;        // c = H(member, pile, r), the decision commitment
  bool revealed = false;  // c was opened and matched
};

// Sums the contracts keep so that money conservation is checkable from one record: the money
// that entered (top-ups, genesis) minus the money that left (withdrawals).
struct Supply {
  std::uint64_t total = 0;
};

}  // namespace pilemesh::ledger
