#include "pilemesh/ledger/ledger_app.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "pilemesh/ledger/contracts.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/service_state.hpp"
#include "state_overlay.hpp"

namespace pilemesh::ledger {
namespace {

// The contracts' key layout (service_state.hpp), shared with the records this file keeps:
// a short ASCII prefix and the raw id, so that each kind of record can be scanned by prefix.
Bytes account_key(const PublicKey& key) {
  return state_keys::account(key);
}
Bytes pile_key(std::string_view id) {
  return state_keys::pile(id);
}
Bytes charge_key(const Hash& tx) {
  return state_keys::charge(tx);
}
Bytes text_key(std::string_view text) {
  return Bytes(text.begin(), text.end());
}
const Bytes kChainIdKey = text_key("meta/chain_id");
const Bytes kHeightKey = text_key("meta/height");
// The last block's time: what check_tx judges time rules by between blocks.
const Bytes kTimeKey = text_key("meta/time");

template <class T, class Decode>
std::optional<T> read(const StateOverlay& s, const Bytes& key, Decode decode) {
  auto bytes = s.get(key);
  if (!bytes) return std::nullopt;
  std::string error;
  auto value = decode(*bytes, error);
  // State is written only by this code; an undecodable record means a corrupt database.
  if (!value) throw std::runtime_error("corrupt state record: " + error);
  return value;
}

AccountRecord account_or_new(const StateOverlay& s, const PublicKey& key) {
  return read<AccountRecord>(s, account_key(key), decode_account).value_or(AccountRecord{});
}

Bytes u64_bytes(std::uint64_t v) {
  Writer w(8);
  w.u64(v);
  return w.take();
}

TxResult fail(TxCode code, std::string log) {
  return {code, std::move(log)};
}

std::string short_hex(const Hash& h) {
  return h.is_zero() ? "none" : h.hex().substr(0, 16);
}

TxResult execute_transfer(const Transaction& tx, StateOverlay& s) {
  std::string error;
  auto p = decode_transfer(tx.payload, error);
  if (!p) return fail(TxCode::kInvalidPayload, "transfer: " + error);
  if (p->to == tx.signer) return fail(TxCode::kInvalidPayload, "transfer: to is the signer");
  AccountRecord from = account_or_new(s, tx.signer);
  if (from.balance < p->amount) {
    return fail(TxCode::kInsufficientFunds, "balance " + std::to_string(from.balance) +
                                                " is less than " + std::to_string(p->amount));
  }
  AccountRecord to = account_or_new(s, p->to);
  from.balance -= p->amount;
  to.balance += p->amount;
  s.put(account_key(tx.signer), encode(from));
  s.put(account_key(p->to), encode(to));
  return {};
}

TxResult execute_charging(const Transaction& tx, const Hash& hash, StateOverlay& s) {
  std::string error;
  auto p = decode_charging(tx.payload, error);
  if (!p) return fail(TxCode::kInvalidPayload, "charging record: " + error);
  auto pile = read<PileRecord>(s, pile_key(p->pile_id), decode_pile);
  if (!pile) return fail(TxCode::kNotFound, "no pile \"" + p->pile_id + "\"");
  if (pile->owner != tx.signer) {
    return fail(TxCode::kUnauthorized,
                "only the owner of pile \"" + p->pile_id + "\" records its charging");
  }
  // Charging records of members come from sessions (stop_session), which settle and score
  // them; a bare record without a session is an admin's tool only.
  if (const auto m = ServiceReader(s).member(tx.signer); !m || m->role != Role::kAdmin) {
    return fail(TxCode::kUnauthorized,
                "charging is recorded by stopping a session; bare records are for admins");
  }
  if (p->stopped_ms < p->started_ms)
    return fail(TxCode::kInvalidPayload, "stopped before it started");
  AccountRecord ev = account_or_new(s, p->ev);
  if (p->prev_pile_charging != pile->last_charging) {
    return fail(TxCode::kForgedPointer,
                "prev_pile_charging is " + short_hex(p->prev_pile_charging) +
                    ", the pile's last charging record is " + short_hex(pile->last_charging));
  }
  if (p->prev_ev_charging != ev.last_charging) {
    return fail(TxCode::kForgedPointer, "prev_ev_charging is " + short_hex(p->prev_ev_charging) +
                                            ", the EV's last charging record is " +
                                            short_hex(ev.last_charging));
  }
  pile->last_charging = hash;
  ++pile->charging_count;
  ev.last_charging = hash;
  s.put(pile_key(p->pile_id), encode(*pile));
  s.put(account_key(p->ev), encode(ev));
  s.put(charge_key(hash), encode(ChargeRecord{p->pile_id, p->ev, false}));
  return {};
}

TxResult execute_evaluation(const Transaction& tx, const Hash& hash, StateOverlay& s) {
  std::string error;
  auto p = decode_evaluation(tx.payload, error);
  if (!p) return fail(TxCode::kInvalidPayload, "evaluation: " + error);
  if (p->score < 1 || p->score > 3)
    return fail(TxCode::kInvalidPayload, "evaluation: score must be 1, 2 or 3");
  auto pile = read<PileRecord>(s, pile_key(p->pile_id), decode_pile);
  if (!pile) return fail(TxCode::kNotFound, "no pile \"" + p->pile_id + "\"");
  auto charge = read<ChargeRecord>(s, charge_key(p->charging_tx), decode_charge);
  if (!charge || charge->pile_id != p->pile_id) {
    return fail(TxCode::kForgedPointer, "charging_tx " + short_hex(p->charging_tx) +
                                            " is not a charging record of pile \"" + p->pile_id +
                                            "\"");
  }
  if (charge->ev != tx.signer)
    return fail(TxCode::kUnauthorized, "only the EV that charged rates the charging");
  if (charge->rated) return fail(TxCode::kConflict, "this charging was rated already");
  AccountRecord ev = account_or_new(s, tx.signer);
  if (p->prev_pile_evaluation != pile->last_evaluation) {
    return fail(TxCode::kForgedPointer,
                "prev_pile_evaluation is " + short_hex(p->prev_pile_evaluation) +
                    ", the pile's last evaluation is " + short_hex(pile->last_evaluation));
  }
  if (p->prev_ev_evaluation != ev.last_evaluation) {
    return fail(TxCode::kForgedPointer,
                "prev_ev_evaluation is " + short_hex(p->prev_ev_evaluation) +
                    ", the EV's last evaluation is " + short_hex(ev.last_evaluation));
  }
  pile->last_evaluation = hash;
  ++pile->evaluation_count;
  ev.last_evaluation = hash;
  charge->rated = true;
  s.put(pile_key(p->pile_id), encode(*pile));
  s.put(account_key(tx.signer), encode(ev));
  s.put(charge_key(p->charging_tx), encode(*charge));
  return {};
}

}  // namespace

LedgerApp::LedgerApp(StateStore& state) : state_(state) {
  if (auto id = state_.get(kChainIdKey)) chain_id_.assign(id->begin(), id->end());
  StateOverlay view(state_);
  params_ = read_service_params(view);
}

AppInfo LedgerApp::info() const {
  AppInfo info;
  info.state_root = state_.root();
  if (auto h = state_.get(kHeightKey)) {
    Reader r(*h);
    r.u64("height", info.height);
  }
  return info;
}

Hash LedgerApp::init_chain(const Genesis& genesis) {
  chain_id_ = genesis.chain_id;
  state_.put(kChainIdKey, Bytes(genesis.chain_id.begin(), genesis.chain_id.end()));
  state_.put(kHeightKey, u64_bytes(0));
  for (const GenesisAccount& a : genesis.accounts) {
    AccountRecord record;
    record.balance = a.balance;
    state_.put(account_key(a.key), encode(record));
  }
  state_.put(kTimeKey, u64_bytes(static_cast<std::uint64_t>(genesis.time_ms)));
  StateOverlay service(state_);
  init_service(genesis, service);
  service.apply(state_);
  params_ = genesis.params;
  return state_.flush();
}

TxResult LedgerApp::check_envelope(const Transaction& tx, const Hash& hash) const {
  if (tx.chain_id != chain_id_) {
    return fail(TxCode::kWrongChain,
                "chain id \"" + tx.chain_id + "\", this network is \"" + chain_id_ + "\"");
  }
  const bool known = tx.type == TxType::kTransfer || tx.type == TxType::kChargingRecord ||
                     tx.type == TxType::kEvaluation || is_service_type(tx.type);
  if (!known) {
    return fail(TxCode::kUnknownType,
                "unknown transaction type " + std::to_string(static_cast<int>(tx.type)));
  }
  if (tx.payload.size() > kMaxPayloadBytes) return fail(TxCode::kMalformed, "payload too large");
  if (verified_.count(hash) == 0) {
    // Checked once: by a worker of verify_ahead when it was queued there, else here.
    std::optional<bool> good = verifier_ ? verifier_->take(hash) : std::nullopt;
    if (!good) good = verify(tx.signer, signing_bytes(tx), tx.signature);
    if (!*good) {
      return fail(TxCode::kBadSignature, "the signature does not match the signer's key");
    }
    // Bounded: a flood of checked-but-never-included transactions cannot grow it forever.
    if (verified_.size() > 100000) verified_.clear();
    verified_.insert(hash);
  }
  return {};
}

void LedgerApp::preverify(std::span<const Transaction> txs, unsigned threads) const {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(txs.size())));
  std::vector<std::uint8_t> good(txs.size(), 0);
  std::vector<Hash> hashes(txs.size());
  auto work = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < txs.size(); i += step) {
      hashes[i] = hash_of(txs[i]);
      good[i] = verify(txs[i].signer, signing_bytes(txs[i]), txs[i].signature) ? 1 : 0;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& t : pool) t.join();
  // The cache is touched only here, on the caller's thread, after the workers are done.
  if (verified_.size() + txs.size() > 100000) verified_.clear();
  for (std::size_t i = 0; i < txs.size(); ++i)
    if (good[i]) verified_.insert(hashes[i]);
}

void LedgerApp::set_verify_threads(unsigned threads) {
  verifier_.reset();
  if (threads > 0) verifier_ = std::make_unique<SignatureVerifier>(threads);
}

void LedgerApp::verify_ahead(std::span<const Transaction> txs) const {
  if (!verifier_) return;
  std::vector<Hash> hashes;
  hashes.reserve(txs.size());
  for (const Transaction& tx : txs) hashes.push_back(hash_of(tx));
  verifier_->enqueue(txs, hashes);
}

TxResult LedgerApp::execute(const Transaction& tx, const Hash& hash, std::int64_t time_ms,
                            StateOverlay& s) const {
  switch (tx.type) {
    case TxType::kTransfer:
      return execute_transfer(tx, s);
    case TxType::kChargingRecord:
      return execute_charging(tx, hash, s);
    case TxType::kEvaluation:
      return execute_evaluation(tx, hash, s);
    default:
      return execute_service(TxContext{tx, hash, time_ms, chain_id_, params_}, s);
  }
}

std::int64_t LedgerApp::last_block_time(const StateOverlay& s) const {
  auto bytes = s.get(kTimeKey);
  if (!bytes) return 0;
  Reader r(*bytes);
  std::uint64_t t = 0;
  r.u64("time", t);
  return static_cast<std::int64_t>(t);
}

TxResult LedgerApp::check_tx(const Transaction& tx, std::uint64_t pending_for_signer) const {
  const Hash hash = hash_of(tx);
  if (TxResult r = check_envelope(tx, hash); !r.ok()) return r;
  StateOverlay scratch(state_);
  const AccountRecord account = account_or_new(scratch, tx.signer);
  const std::uint64_t expected = account.nonce + pending_for_signer + 1;
  if (tx.nonce != expected) {
    return fail(TxCode::kBadNonce, "nonce " + std::to_string(tx.nonce) +
                                       (tx.nonce < expected ? " replayed" : " out of order") +
                                       "; the account's next nonce is " + std::to_string(expected));
  }
  // With nothing of this account waiting, the transaction can be tried against the state now,
  // so that a forged pointer or a missing pile is refused before it reaches a block.
  if (pending_for_signer == 0) {
    return execute(tx, hash, std::max(last_block_time(scratch), check_time_ms_), scratch);
  }
  return {};
}

std::vector<Transaction> LedgerApp::prepare_proposal(const BlockContext&,
                                                     std::vector<Transaction> candidates,
                                                     std::size_t max_bytes) {
  std::vector<Transaction> chosen;
  std::map<PublicKey, std::uint64_t> next_nonce;
  std::size_t bytes = 0;
  StateOverlay view(state_);
  for (Transaction& tx : candidates) {
    auto [it, fresh] = next_nonce.try_emplace(tx.signer, 0);
    if (fresh) it->second = account_or_new(view, tx.signer).nonce + 1;
    if (tx.nonce != it->second) continue;
    const std::size_t size = encoded_size(tx);
    if (bytes + size > max_bytes) break;
    bytes += size;
    ++it->second;
    chosen.push_back(std::move(tx));
  }
  return chosen;
}

bool LedgerApp::process_proposal(const Block& block) {
  if (block.header.chain_id != chain_id_ || block.header.height != info().height + 1) return false;
  std::map<PublicKey, std::uint64_t> next_nonce;
  StateOverlay view(state_);
  for (const Transaction& tx : block.txs) {
    if (!check_envelope(tx, hash_of(tx)).ok()) return false;
    auto [it, fresh] = next_nonce.try_emplace(tx.signer, 0);
    if (fresh) it->second = account_or_new(view, tx.signer).nonce + 1;
    if (tx.nonce != it->second++) return false;
  }
  return true;
}

FinalizeResult LedgerApp::finalize_block(const BlockContext& context,
                                         std::span<const Transaction> txs) {
  FinalizeResult out;
  out.results.reserve(txs.size());
  StateOverlay block_state(state_);
  for (const Transaction& tx : txs) {
    const Hash hash = hash_of(tx);
    TxResult envelope = check_envelope(tx, hash);
    verified_.erase(hash);
    if (!envelope.ok()) {
      out.results.push_back(std::move(envelope));
      continue;
    }
    AccountRecord account = account_or_new(block_state, tx.signer);
    if (tx.nonce != account.nonce + 1) {
      out.results.push_back(fail(
          TxCode::kBadNonce,
          "nonce " + std::to_string(tx.nonce) + ", expected " + std::to_string(account.nonce + 1)));
      continue;
    }
    StateOverlay tx_state(block_state, true);
    TxResult result = execute(tx, hash, context.time_ms, tx_state);
    if (result.ok()) tx_state.merge_into(block_state);
    // A transaction in a block uses up its nonce even when it fails, so it can never be
    // replayed later when the state would let it through.
    account = account_or_new(block_state, tx.signer);
    ++account.nonce;
    block_state.put(account_key(tx.signer), encode(account));
    out.results.push_back(std::move(result));
  }
  block_state.put(kHeightKey, u64_bytes(context.height));
  block_state.put(kTimeKey, u64_bytes(static_cast<std::uint64_t>(context.time_ms)));
  block_state.apply(state_);
  out.state_root = state_.flush();
  return out;
}

void LedgerApp::commit(bool committed) {
  if (!committed) state_.discard();
}

std::optional<AccountRecord> LedgerApp::account(const PublicKey& key) const {
  StateOverlay view(state_);
  return read<AccountRecord>(view, account_key(key), decode_account);
}

std::optional<PileRecord> LedgerApp::pile(std::string_view pile_id) const {
  StateOverlay view(state_);
  return read<PileRecord>(view, pile_key(pile_id), decode_pile);
}

QueryResult LedgerApp::query(std::string_view path) const {
  using nlohmann::json;
  QueryResult result;
  auto answer = [&](const json& j) {
    const std::string text = j.dump();
    result.value.assign(text.begin(), text.end());
    return result;
  };
  if (path.starts_with("account/")) {
    auto key = PublicKey::from_hex(path.substr(8));
    if (!key) return {TxCode::kMalformed, "account: expected 64 hex digits", {}};
    auto a = account(*key);
    if (!a) return {TxCode::kNotFound, "no such account", {}};
    return answer({{"key", key->hex()},
                   {"nonce", a->nonce},
                   {"balance", a->balance},
                   {"last_charging", a->last_charging.hex()},
                   {"last_evaluation", a->last_evaluation.hex()}});
  }
  if (path.starts_with("pile/")) {
    auto p = pile(path.substr(5));
    if (!p) return {TxCode::kNotFound, "no such pile", {}};
    return answer({{"id", std::string(path.substr(5))},
                   {"owner", p->owner.hex()},
                   {"last_charging", p->last_charging.hex()},
                   {"last_evaluation", p->last_evaluation.hex()},
                   {"charging_count", p->charging_count},
                   {"evaluation_count", p->evaluation_count}});
  }
  return {TxCode::kNotFound, "unknown query path \"" + std::string(path) + "\"", {}};
}

}  // namespace pilemesh::ledger
