// The sharing service inside the daemon: the read model (ServiceDirectory) kept current block by
// block, transactions prepared for members to sign with their own keys, the events each block
// brings to the members it concerns, and the sessions of this gateway's own piles — the
// gateway checks the member's token against the booking, signs the start and the stop with its
// key (the piles' owner), keeps the meter values as an off-chain hash chain anchored in the
// stop, and drives the pile through the HAL: enabled only while an authorized session runs.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "pilemesh/gateway/epc_qr.hpp"
#include "pilemesh/gateway/ledger_service.hpp"
#include "pilemesh/gateway/pile_status.hpp"
#include "pilemesh/gateway/service_directory.hpp"
#include "pilemesh/gateway/top_up_methods.hpp"
#include "pilemesh/ledger/offchain_store.hpp"

namespace pilemesh::gateway {

// How the service reaches this gateway's piles (the HAL through the device supervisors).
struct PileControl {
  // Allows or stops charging; false when the pile is not here or refuses.
  std::function<bool(const std::string& pile, bool enabled)> set_enabled;
  // Authorizes the session's id token on the pile (piles that need one to charge); an empty
  // token withdraws it.
  std::function<bool(const std::string& pile, const std::string& token)> authorize;
  // The pile's energy register in Wh, when the pile is here and reporting.
  std::function<std::optional<std::uint64_t>(const std::string& pile)> energy_wh;
};

// An error for the API: a stable code and a message that says what to do.
struct ServiceError {
  int http_status = 422;
  std::string code;
  std::string message;
};

class SharingService {
 public:
  // `address`: the piles' exact address, sealed to each booked member on request.
  // `offchain` keeps the meter series of this gateway's sessions (may be null).
  SharingService(boost::asio::io_context& io, LedgerService& ledger, PileControl control,
                 std::string address = {}, ledger::OffchainStore* offchain = nullptr);
  ~SharingService();

  const ServiceDirectory& directory() const { return *directory_; }
  ledger::OffchainStore* offchain() const { return offchain_; }

  // The top-up methods this gateway offers (built in only, without a bank account, until set).
  void set_top_up_methods(TopUpMethods methods) { top_ups_ = std::move(methods); }
  const TopUpMethods& top_up_methods() const { return top_ups_; }
  // How to pay a top-up request paid to this gateway's key, by its method.
  std::variant<hal::PaymentInstructions, ServiceError> top_up_instructions(
      const ledger::Hash& request) const;
  // The EPC QR text of a SEPA top-up request paid to this gateway's key.
  std::variant<std::string, ServiceError> top_up_epc(const ledger::Hash& request) const;
  const ledger::ServiceParams& params() const;

  // Live status. For a pile of this gateway whose availability changed: the signed
  // announcement to send to peers (kept as the pile's status here); otherwise nothing. A car
  // leaving the pile (occupied, then available) stops its running session (by the pile).
  std::optional<PileStatusAnnouncement> update_pile_status(const PileState& pile);
  // An announcement from a peer: kept when its signature is the pile owner's and it is newer
  // than the one held and not from the future; otherwise `why` says what is wrong.
  bool accept_pile_status(const PileStatusAnnouncement& a, std::string& why);
  const PileStatusAnnouncement* pile_status(const std::string& pile_id) const;
  LedgerService& ledger() { return ledger_; }

  // Brings the read model up to `height` and returns one event per transaction of the block
  // (type, hash, result, the pile and booking it concerns, the members it concerns).
  std::vector<nlohmann::json> on_block(ledger::Height height);

  // An unsigned transaction of `type` ("book", ...) from `signer` with the payload's JSON form,
  // at the signer's next nonce (counting what waits in the mempool).
  std::variant<ledger::Transaction, ServiceError> prepare(std::string_view type,
                                                          const ledger::PublicKey& signer,
                                                          const nlohmann::json& payload);

  // At the pile: the member shows the booking's token; the gateway starts the session (the
  // transaction, then the pile once it is committed). Returns the start transaction's hash.
  std::variant<ledger::Hash, ServiceError> start_session(const ledger::Hash& booking,
                                                         const std::string& token);
  // The member (with the token), or the gateway at the slot's end, stops it.
  // A card presented at one of this gateway's piles (an RFID card's uid): starts the session
  // of the booking of that pile made with the card's token (card_token), when its slot is on.
  std::variant<ledger::Hash, ServiceError> present_token(const std::string& pile_id,
                                                         const std::string& card_uid);
  // The session token this gateway derives from a card's uid: a keyed hash only this gateway
  // can compute (sha256 of its Ed25519 signature over "pilemesh/card/v1" ‖ uid). A member books
  // with sha256 of it; the uid itself never reaches the ledger, where start_session publishes
  // the token.
  std::string card_token(std::string_view card_uid) const;
  std::variant<ledger::Hash, ServiceError> stop_session(const ledger::Hash& booking,
                                                        const std::string& token,
                                                        ledger::StopReason reason);
  // The running session's meter values so far: energy since the start and their hash chain.
  struct LiveSession {
    std::uint64_t meter_start_wh = 0;
    std::uint64_t last_wh = 0;     // the last value of the series
    std::uint64_t current_wh = 0;  // the latest reading, for the live view
    std::uint32_t values = 0;
    ledger::Hash chain;  // ledger::meter_chain of `series`
    std::vector<ledger::MeterValue> series;
    bool stopping = false;
  };
  const LiveSession* live_session(const ledger::Hash& booking) const;

  // The exact address of the booking's pile, sealed to the booking member's key: only they can
  // read it, whoever else sees the answer. For bookings of this gateway's piles that have not
  // ended.
  std::variant<ledger::Bytes, ServiceError> sealed_address(const ledger::Hash& booking) const;

  // Marks the bookings of this gateway's piles that nobody came for, past the no-show grace,
  // as no-shows (the fee is charged and the slot freed). Runs once a minute on its own.
  void sweep_no_shows();

  // Whether this gateway lets the pile charge now: a pile offered to neighbours only during a
  // session that started and is not stopping; a pile not on the ledger is the owner's own.
  bool may_charge(const std::string& pile) const;

  // Records a meter value of a pile (called as the pile reports).
  // `final_value`: the reading at the stop, always kept.
  void on_energy(const std::string& pile, std::uint64_t energy_wh, std::int64_t time_ms,
                 bool final_value = false);

 private:
  void stop_if_unplugged(const std::string& pile_id, PileAvailability now);
  bool own_pile(const std::string& pile_id) const;
  void arm_no_show_sweep();
  std::variant<ledger::Hash, ServiceError> submit_own(ledger::TxType type, ledger::Bytes payload);
  void arm_slot_end(const ledger::Hash& booking, std::int64_t end_ms);

  boost::asio::io_context& io_;
  LedgerService& ledger_;
  PileControl control_;
  std::string address_;
  ledger::OffchainStore* offchain_ = nullptr;
  TopUpMethods top_ups_;
  std::map<std::string, PileStatusAnnouncement> statuses_;
  std::unique_ptr<ServiceDirectory> directory_;
  ledger::Height seen_height_ = 0;
  std::map<ledger::Hash, LiveSession> sessions_;  // by booking
  std::map<ledger::Hash, std::unique_ptr<boost::asio::steady_timer>> slot_end_timers_;
  std::map<ledger::Hash, std::string> tokens_;  // of running sessions, for the automatic stop
  boost::asio::steady_timer no_show_timer_;
  std::set<ledger::Hash> no_shows_sent_;
};

}  // namespace pilemesh::gateway
