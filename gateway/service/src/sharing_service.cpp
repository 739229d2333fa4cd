#include "pilemesh/gateway/sharing_service.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/committed_state.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_json.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::gateway {
namespace {

ServiceError error(int status, std::string code, std::string message) {
  return {status, std::move(code), std::move(message)};
}

// Transactions of `signer` waiting in the mempool: the next nonce comes after them.
std::uint64_t waiting_for(ledger::LedgerNode& node, const ledger::PublicKey& signer) {
  std::uint64_t n = 0;
  for (const auto& tx : node.mempool().candidates(SIZE_MAX, SIZE_MAX))
    if (tx.signer == signer) ++n;
  return n;
}

}  // namespace

SharingService::SharingService(boost::asio::io_context& io, LedgerService& ledger,
                               PileControl control, std::string address,
                               ledger::OffchainStore* offchain)
    : io_(io),
      ledger_(ledger),
      control_(std::move(control)),
      address_(std::move(address)),
      offchain_(offchain),
      directory_(std::make_unique<ServiceDirectory>(ledger.node().store().state())),
      seen_height_(ledger.node().store().blocks().height()),
      no_show_timer_(io) {
  // Sessions that were running when the gateway stopped: the pile stays off until the member
  // or the slot's end stops them; their meter chain restarts from the current reading.
  for (const auto& [id, b] : directory_->bookings()) {
    if (b.status != ledger::BookingStatus::kCharging || !own_pile(b.pile_id)) continue;
    LiveSession s;
    s.meter_start_wh = b.meter_start_wh;
    s.last_wh = b.meter_start_wh;
    s.current_wh = b.meter_start_wh;
    sessions_[id] = s;
    arm_slot_end(id, b.end_ms);
  }
  arm_no_show_sweep();
}

SharingService::~SharingService() = default;

const ledger::ServiceParams& SharingService::params() const {
  return ledger_.node().genesis().params;
}

std::optional<PileStatusAnnouncement> SharingService::update_pile_status(const PileState& pile) {
  if (!own_pile(pile.id)) return std::nullopt;
  const PileAvailability now = availability_of(pile);
  stop_if_unplugged(pile.id, now);
  // Unchanged: nothing to send, unless peers would soon drop the held one as too old.
  if (auto it = statuses_.find(pile.id);
      it != statuses_.end() && it->second.status == now &&
      it->second.time_ms > ledger_.now_ms() - kPileStatusMaxAgeMs / 2)
    return std::nullopt;
  auto a = sign_pile_status(ledger_.node().key(), ledger_.node().genesis().chain_id, pile.id, now,
                            ledger_.now_ms());
  statuses_.insert_or_assign(pile.id, a);
  return a;
}

void SharingService::stop_if_unplugged(const std::string& pile_id, PileAvailability now) {
  // The pile stops a session when the car leaves: occupied before, free now. (Not merely free:
  // a member may start the session by QR before plugging in.)
  // The held announcement is the availability last seen: update_pile_status renews it on
  // every change, after this check.
  const auto held = statuses_.find(pile_id);
  if (held == statuses_.end() || held->second.status != PileAvailability::kOccupied ||
      now != PileAvailability::kAvailable)
    return;
  std::vector<std::pair<ledger::Hash, std::string>> stopping;
  for (const auto& [id, session] : sessions_) {
    const auto* b = directory_->booking(id);
    auto token = tokens_.find(id);
    if (b != nullptr && b->pile_id == pile_id && !session.stopping && token != tokens_.end())
      stopping.emplace_back(id, token->second);
  }
  for (const auto& [id, token] : stopping) {
    auto r = stop_session(id, token, ledger::StopReason::kByPile);
    if (auto* e = std::get_if<ServiceError>(&r))
      spdlog::warn("[{}] the car left, but the session cannot stop: {}", pile_id, e->message);
    else
      spdlog::info("[{}] the car left: stopping booking {}", pile_id, id.hex().substr(0, 16));
  }
}

bool SharingService::accept_pile_status(const PileStatusAnnouncement& a, std::string& why) {
  // A peer's clock may run a little ahead; an announcement from further ahead would shadow
  // every honest one until then.
  constexpr std::int64_t kClockSkewMs = 60'000;
  const PileView* p = directory_->pile(a.pile_id);
  if (p == nullptr) {
    why = "no pile \"" + a.pile_id + "\" on the ledger";
  } else if (a.signer != p->record.owner) {
    why = "signed by a key that does not own the pile";
  } else if (!verify_pile_status(a, ledger_.node().genesis().chain_id)) {
    why = "the signature does not match";
  } else if (a.time_ms > ledger_.now_ms() + kClockSkewMs) {
    why = "from the future";
  } else if (a.time_ms < ledger_.now_ms() - kPileStatusMaxAgeMs) {
    why = "too old to tell the pile's status now";
  } else if (auto it = statuses_.find(a.pile_id);
             it != statuses_.end() && it->second.time_ms >= a.time_ms) {
    why = "not newer than the status held";
  } else {
    statuses_.insert_or_assign(a.pile_id, a);
    return true;
  }
  return false;
}

const PileStatusAnnouncement* SharingService::pile_status(const std::string& pile_id) const {
  auto it = statuses_.find(pile_id);
  return it == statuses_.end() ? nullptr : &it->second;
}

bool SharingService::own_pile(const std::string& pile_id) const {
  const PileView* p = directory_->pile(pile_id);
  return p != nullptr && p->record.owner == ledger_.node().key().public_key();
}

std::vector<nlohmann::json> SharingService::on_block(ledger::Height height) {
  std::vector<nlohmann::json> events;
  const auto& blocks = ledger_.node().store().blocks();
  for (ledger::Height h = seen_height_ + 1; h <= height; ++h) {
    auto block = blocks.block(h);
    if (!block) break;
    const std::vector<ledger::Hash> hashes = blocks.tx_hashes(h);
    directory_->refresh(block->txs, hashes);
    for (std::size_t i = 0; i < block->txs.size() && i < hashes.size(); ++i) {
      const ledger::Transaction& tx = block->txs[i];
      const auto record = blocks.tx(hashes[i]);
      const ledger::TxResult result = record ? record->result : ledger::TxResult{};
      nlohmann::json payload = ledger::payload_to_json(tx);
      nlohmann::json event{{"height", h},
                           {"hash", hashes[i].hex()},
                           {"type", ledger::tx_type_name(tx.type)},
                           {"ok", result.ok()},
                           {"code", ledger::to_string(result.code)},
                           {"log", result.log},
                           {"signer", tx.signer.hex()}};
      std::set<std::string> members = {tx.signer.hex()};
      std::optional<ledger::Hash> booking_id;
      if (tx.type == ledger::TxType::kBook) booking_id = hashes[i];
      if (payload.contains("booking"))
        booking_id = ledger::Hash::from_hex(payload["booking"].get<std::string>());
      std::string pile_id = payload.value("pile_id", "");
      if (booking_id) {
        event["booking"] = booking_id->hex();
        if (const auto* b = directory_->booking(*booking_id)) {
          members.insert(b->member.hex());
          pile_id = b->pile_id;
        }
      }
      if (!pile_id.empty()) {
        event["pile_id"] = pile_id;
        if (const PileView* p = directory_->pile(pile_id)) members.insert(p->record.owner.hex());
      }
      // And whoever else the payload names: the payee of a top-up or withdrawal, the member
      // attested, rejected or suspended, the requester of a confirmed top-up, the author of an
      // answered rating.
      for (const char* field : {"payee", "member", "to"}) {
        if (payload.contains(field) && payload[field].is_string())
          members.insert(payload[field].get<std::string>());
      }
      if (tx.type == ledger::TxType::kConfirmTopUp || tx.type == ledger::TxType::kRespondRating) {
        const ledger::CommittedState view(ledger_.node().store().state());
        const ledger::ServiceReader read(view);
        const char* field = tx.type == ledger::TxType::kConfirmTopUp ? "request" : "rating";
        const auto id = payload.contains(field) && payload[field].is_string()
                            ? ledger::Hash::from_hex(payload[field].get<std::string>())
                            : std::nullopt;
        if (id && tx.type == ledger::TxType::kConfirmTopUp) {
          if (auto t = read.topup(*id)) members.insert(t->member.hex());
        } else if (id) {
          if (auto r = read.rating(*id)) members.insert(r->member.hex());
        }
      }
      event["members"] = members;
      events.push_back(std::move(event));

      // This gateway's piles follow the committed sessions.
      if (booking_id && own_pile(pile_id)) {
        if (tx.type == ledger::TxType::kStartSession) {
          if (result.ok() && control_.set_enabled) {
            control_.set_enabled(pile_id, true);
            if (auto t = tokens_.find(*booking_id); t != tokens_.end() && control_.authorize)
              control_.authorize(pile_id, t->second);
            if (const auto* b = directory_->booking(*booking_id))
              arm_slot_end(*booking_id, b->end_ms);
          } else {
            sessions_.erase(*booking_id);
            tokens_.erase(*booking_id);
          }
        } else if (tx.type == ledger::TxType::kStopSession && result.ok()) {
          sessions_.erase(*booking_id);
          tokens_.erase(*booking_id);
          slot_end_timers_.erase(*booking_id);
        }
      }
    }
    seen_height_ = h;
  }
  return events;
}

std::variant<ledger::Transaction, ServiceError> SharingService::prepare(
    std::string_view type_name, const ledger::PublicKey& signer, const nlohmann::json& payload) {
  const auto type = ledger::tx_type_from_name(type_name);
  if (!type)
    return error(422, "unknown_type",
                 "unknown transaction type \"" + std::string(type_name) + "\"");
  std::string reason;
  auto bytes = ledger::payload_from_json(*type, payload, reason);
  if (!bytes) return error(422, "invalid_payload", "payload." + reason);
  auto& node = ledger_.node();
  ledger::Transaction tx;
  tx.chain_id = node.genesis().chain_id;
  tx.type = *type;
  tx.signer = signer;
  tx.nonce = node.app().account(signer).value_or(ledger::AccountRecord{}).nonce +
             waiting_for(node, signer) + 1;
  tx.payload = std::move(*bytes);
  return tx;
}

std::variant<ledger::Hash, ServiceError> SharingService::submit_own(ledger::TxType type,
                                                                    ledger::Bytes payload) {
  auto& node = ledger_.node();
  const ledger::KeyStore& key = node.key();
  ledger::Transaction tx;
  tx.chain_id = node.genesis().chain_id;
  tx.type = type;
  tx.signer = key.public_key();
  tx.nonce = node.app().account(tx.signer).value_or(ledger::AccountRecord{}).nonce +
             waiting_for(node, tx.signer) + 1;
  tx.payload = std::move(payload);
  tx.signature = key.sign(ledger::signing_bytes(tx));
  const ledger::TxResult r = ledger_.submit(tx);
  if (!r.ok()) return error(422, std::string(ledger::to_string(r.code)), r.log);
  return ledger::hash_of(tx);
}

std::variant<ledger::Hash, ServiceError> SharingService::start_session(const ledger::Hash& id,
                                                                       const std::string& token) {
  const ledger::BookingRecord* b = directory_->booking(id);
  if (b == nullptr)
    return error(404, "not_found", "no such booking; check the QR code or the link");
  if (!own_pile(b->pile_id))
    return error(409, "other_gateway", "pile \"" + b->pile_id + "\" is run by another gateway");
  if (ledger::sha256(token) != b->token_hash)
    return error(403, "bad_token",
                 "the access code does not belong to this booking; use the code the booking "
                 "phone shows");
  if (b->status != ledger::BookingStatus::kBooked || sessions_.count(id) != 0)
    return error(409, "conflict",
                 "the session of this booking has started or is over; reload the booking");
  const std::int64_t now = ledger_.now_ms();
  if (now < b->start_ms - params().start_early_ms)
    return error(409, "too_early", "the slot has not begun; come back at its start");
  if (now >= b->end_ms) return error(409, "too_late", "the slot has ended; book a new one");
  std::optional<std::uint64_t> meter =
      control_.energy_wh ? control_.energy_wh(b->pile_id) : std::nullopt;
  if (!meter)
    return error(503, "pile_unavailable",
                 "the pile does not report its meter; try again in a minute");
  auto started = submit_own(ledger::TxType::kStartSession,
                            ledger::encode_service(ledger::StartSessionPayload{id, token, *meter}));
  if (std::holds_alternative<ledger::Hash>(started)) {
    LiveSession s;
    s.meter_start_wh = *meter;
    s.last_wh = *meter;
    s.current_wh = *meter;
    sessions_[id] = s;
    tokens_[id] = token;
  }
  return started;
}

std::string SharingService::card_token(std::string_view card_uid) const {
  const std::string_view domain = "pilemesh/card/v1";
  ledger::Bytes message(domain.begin(), domain.end());
  message.insert(message.end(), card_uid.begin(), card_uid.end());
  return ledger::sha256(ledger_.node().key().sign(message).bytes).hex();
}

std::variant<ledger::Hash, ServiceError> SharingService::present_token(
    const std::string& pile_id, const std::string& card_uid) {
  if (card_uid.empty() || card_uid.size() > ledger::kMaxTokenBytes)
    return error(422, "invalid_token",
                 "a card's uid is 1 to " + std::to_string(ledger::kMaxTokenBytes) + " bytes");
  const std::string token = card_token(card_uid);
  const ledger::Hash hash = ledger::sha256(token);
  const std::int64_t now = ledger_.now_ms();
  for (const auto& [id, b] : directory_->bookings_of_pile(pile_id)) {
    if (b->token_hash != hash || b->status != ledger::BookingStatus::kBooked ||
        sessions_.count(id) != 0 || now < b->start_ms - params().start_early_ms ||
        now >= b->end_ms) {
      continue;
    }
    auto started = start_session(id, token);
    if (std::holds_alternative<ledger::Hash>(started))
      spdlog::info("[{}] a card opened booking {}", pile_id, id.hex().substr(0, 16));
    return started;
  }
  return error(404, "no_booking",
               "this card belongs to no booking of this pile now; book a slot first");
}

std::variant<ledger::Hash, ServiceError> SharingService::stop_session(const ledger::Hash& id,
                                                                      const std::string& token,
                                                                      ledger::StopReason reason) {
  const ledger::BookingRecord* b = directory_->booking(id);
  if (b == nullptr) return error(404, "not_found", "no such booking; find yours under My bookings");
  if (ledger::sha256(token) != b->token_hash)
    return error(403, "bad_token",
                 "the access code does not belong to this booking; use the code the booking "
                 "phone shows");
  auto live = sessions_.find(id);
  if (b->status != ledger::BookingStatus::kCharging || live == sessions_.end())
    return error(409, "conflict",
                 "no session of this booking is running here; reload the booking to see where it "
                 "stands");
  if (live->second.stopping)
    return error(409, "conflict", "the session is being stopped; its receipt follows in a moment");
  if (control_.set_enabled) control_.set_enabled(b->pile_id, false);
  if (control_.authorize) control_.authorize(b->pile_id, "");
  if (auto meter = control_.energy_wh ? control_.energy_wh(b->pile_id) : std::nullopt)
    on_energy(b->pile_id, *meter, ledger_.now_ms(), /*final_value=*/true);
  const LiveSession& s = live->second;
  const ledger::CommittedState view(ledger_.node().store().state());
  const ledger::ServiceReader read(view);
  const auto pile = read.pile(b->pile_id);
  const ledger::AccountRecord ev = read.account(b->member);
  ledger::StopSessionPayload p{
      id,     std::max(s.last_wh, b->meter_start_wh),      s.chain,         s.values,
      reason, pile ? pile->last_charging : ledger::Hash{}, ev.last_charging};
  // The series is kept off-chain before the stop anchors it, so the anchor always has it.
  if (offchain_ != nullptr && !s.series.empty()) {
    try {
      offchain_->put_meter_series(s.series);
    } catch (const std::exception& e) {
      spdlog::warn("service: the meter series of a session is not kept: {}", e.what());
    }
  }
  auto stopped = submit_own(ledger::TxType::kStopSession, ledger::encode_service(p));
  if (std::holds_alternative<ledger::Hash>(stopped)) live->second.stopping = true;
  return stopped;
}

const SharingService::LiveSession* SharingService::live_session(const ledger::Hash& booking) const {
  auto it = sessions_.find(booking);
  return it == sessions_.end() ? nullptr : &it->second;
}

std::variant<ledger::Bytes, ServiceError> SharingService::sealed_address(
    const ledger::Hash& id) const {
  const ledger::BookingRecord* b = directory_->booking(id);
  if (b == nullptr) return error(404, "not_found", "no such booking; find yours under My bookings");
  if (!own_pile(b->pile_id))
    return error(409, "other_gateway", "ask the gateway of pile \"" + b->pile_id + "\"");
  if (b->status != ledger::BookingStatus::kBooked && b->status != ledger::BookingStatus::kCharging)
    return error(409, "conflict", "the address is shared with a booking that has not ended");
  if (address_.empty()) return error(404, "no_address", "the owner has not given an address");
  auto sealed = ledger::seal_to(
      b->member,
      std::span(reinterpret_cast<const std::uint8_t*>(address_.data()), address_.size()));
  if (!sealed) return error(422, "invalid_key", "the member's key cannot receive sealed data");
  return *sealed;
}

std::variant<hal::PaymentInstructions, ServiceError> SharingService::top_up_instructions(
    const ledger::Hash& id) const {
  const ledger::CommittedState view(ledger_.node().store().state());
  const auto t = ledger::ServiceReader(view).topup(id);
  if (!t) return error(404, "not_found", "no such top-up request; it appears after the next block");
  if (t->payee != ledger_.node().key().public_key())
    return error(409, "other_payee",
                 "this top-up is paid to another member; ask them for the details");
  if (t->status != ledger::TopUpStatus::kRequested)
    return error(409, "conflict", "this top-up is confirmed already");
  const hal::TopUpRequest request{id.hex(), t->member.hex(), t->amount, params().currency,
                                  t->reference};
  hal::PaymentInstructions out;
  const hal::Status status =
      top_ups_.instructions(static_cast<std::uint8_t>(t->method), request, out);
  switch (status.code()) {
    case hal::StatusCode::kOk:
      return out;
    case hal::StatusCode::kNotSupported:
      return error(409, "method_not_offered",
                   status.message() +
                       "; ask for a new top-up by one of GET "
                       "/api/v1/service/topup-methods");
    case hal::StatusCode::kInvalidArgument:
      return error(422, "invalid", status.message());
    default:
      return error(503, "method_unavailable", status.message());
  }
}

std::variant<std::string, ServiceError> SharingService::top_up_epc(const ledger::Hash& id) const {
  {
    const ledger::CommittedState view(ledger_.node().store().state());
    const auto t = ledger::ServiceReader(view).topup(id);
    if (t && static_cast<std::uint8_t>(t->method) != kSepaTransferTopUp)
      return error(409, "not_sepa", "this top-up is not paid by bank transfer");
    if (t && top_ups_.payee().iban.empty())
      return error(404, "no_bank_account",
                   "this gateway has no bank account for transfers ([payments] iban)");
  }
  auto instructions = top_up_instructions(id);
  if (auto* e = std::get_if<ServiceError>(&instructions)) return std::move(*e);
  return std::get<hal::PaymentInstructions>(instructions).qr_text;
}

bool SharingService::may_charge(const std::string& pile) const {
  if (!own_pile(pile)) return true;
  for (const auto& [id, s] : sessions_) {
    const ledger::BookingRecord* b = directory_->booking(id);
    if (b != nullptr && b->pile_id == pile && !s.stopping &&
        b->status == ledger::BookingStatus::kCharging)
      return true;
  }
  return false;
}

void SharingService::on_energy(const std::string& pile, std::uint64_t energy_wh,
                               std::int64_t time_ms, bool final_value) {
  // One value per 10 s at most (a 12-hour session keeps about 4 000), and the last one always.
  constexpr std::int64_t kEveryMs = 10'000;
  for (auto& [id, s] : sessions_) {
    const ledger::BookingRecord* b = directory_->booking(id);
    if (b == nullptr || b->pile_id != pile || s.stopping) continue;
    s.current_wh = std::max(s.current_wh, energy_wh);
    if (energy_wh == s.last_wh) continue;
    if (!final_value && !s.series.empty() && time_ms - s.series.back().time_ms < kEveryMs) continue;
    // The off-chain meter series as a hash chain; its last link is anchored in the stop.
    const ledger::MeterValue value{time_ms, energy_wh};
    s.chain = ledger::meter_chain_link(s.chain, value);
    s.series.push_back(value);
    s.last_wh = energy_wh;
    ++s.values;
  }
}

void SharingService::arm_no_show_sweep() {
  no_show_timer_.expires_after(std::chrono::minutes(1));
  no_show_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    sweep_no_shows();
    arm_no_show_sweep();
  });
}

void SharingService::sweep_no_shows() {
  const std::int64_t now = ledger_.now_ms();
  for (const auto& [id, b] : directory_->bookings()) {
    if (b.status != ledger::BookingStatus::kBooked || !own_pile(b.pile_id)) continue;
    if (now < b.start_ms + params().no_show_grace_ms || no_shows_sent_.count(id) != 0) continue;
    auto sent = submit_own(ledger::TxType::kMarkNoShow,
                           ledger::encode_service(ledger::BookingIdPayload{id}));
    if (auto* e = std::get_if<ServiceError>(&sent)) {
      spdlog::warn("service: cannot mark booking {} a no-show: {}", id.hex().substr(0, 16),
                   e->message);
    } else {
      spdlog::info("service: booking {} on pile \"{}\" is a no-show", id.hex().substr(0, 16),
                   b.pile_id);
    }
    no_shows_sent_.insert(id);  // tried once; the owner can still mark it by hand
  }
}

void SharingService::arm_slot_end(const ledger::Hash& booking, std::int64_t end_ms) {
  auto& timer = slot_end_timers_[booking];
  timer = std::make_unique<boost::asio::steady_timer>(io_);
  timer->expires_after(
      std::chrono::milliseconds(std::max<std::int64_t>(0, end_ms - ledger_.now_ms())));
  timer->async_wait([this, booking](const boost::system::error_code& ec) {
    if (ec) return;
    auto token = tokens_.find(booking);
    if (token == tokens_.end()) {
      // After a restart the token is not known: stop the pile; the owner settles by hand.
      if (const auto* b = directory_->booking(booking); b && control_.set_enabled) {
        control_.set_enabled(b->pile_id, false);
        if (control_.authorize) control_.authorize(b->pile_id, "");
      }
      return;
    }
    auto r = stop_session(booking, token->second, ledger::StopReason::kSlotEnd);
    if (auto* e = std::get_if<ServiceError>(&r))
      spdlog::warn("service: cannot stop the session at its slot's end: {}", e->message);
  });
}

}  // namespace pilemesh::gateway
