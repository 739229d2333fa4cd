// A neighbourhood on a real ledger file for the contract tests: an admin named in the genesis,
// members who join by transactions, and a helper that sends one transaction in its own block at
// a chosen block time and returns its final result (or the mempool's refusal).
#pragma once

#include <map>
#include <string>

#include "../engine/ledger_fixture.hpp"
#include "pilemesh/ledger/committed_state.hpp"
#include "pilemesh/ledger/contracts.hpp"
#include "pilemesh/ledger/pricing.hpp"
#include "pilemesh/ledger/service_codec.hpp"
#include "pilemesh/ledger/service_state.hpp"

namespace pilemesh::ledger::test {

// Monday 2026-11-23 00:00 UTC.
inline constexpr std::int64_t kMonday = 1'795'392'000'000;
inline constexpr std::int64_t kMinute = 60'000;
inline constexpr std::int64_t kHour = 60 * kMinute;

struct Sent {
  TxResult result;
  Hash hash;
  bool in_block = false;  // false: refused by check_tx, never in a block
};

class ServiceChain {
 public:
  explicit ServiceChain(ServiceParams params = {}, std::vector<GenesisAccount> funded = {})
      : dir_(),
        validator_(key_from(0xee)),
        validator_store_(validator_),
        store_(LedgerStore::open(dir_.path() / "ledger.db")),
        app_(store_.state()),
        mempool_(app_, MempoolOptions{}),
        engine_(store_, app_, mempool_, validator_store_, SoloOptions{}) {
    genesis_.chain_id = kChain;
    genesis_.time_ms = kMonday - kHour;
    genesis_.validators = {validator_.public_key()};
    genesis_.members = {{admin.public_key(), Role::kAdmin}};
    genesis_.params = params;
    genesis_.accounts = std::move(funded);
    std::sort(genesis_.accounts.begin(), genesis_.accounts.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    engine_.init(genesis_);
  }

  const KeyPair admin = key_from(1);
  const KeyPair owner = key_from(2);
  const KeyPair alice = key_from(3);
  const KeyPair bob = key_from(4);
  const KeyPair carol = key_from(5);

  // Sends one transaction at block time `at_ms` and commits a block with it.
  Sent send(const KeyPair& key, TxType type, Bytes payload, std::int64_t at_ms) {
    Transaction tx = signed_tx(key, kChain, type, next_nonce(key), std::move(payload));
    Sent out;
    out.hash = hash_of(tx);
    app_.set_check_time(at_ms);
    out.result = engine_.submit(tx);
    if (!out.result.ok()) return out;
    engine_.produce(at_ms);
    const auto record = store_.blocks().tx(out.hash);
    if (!record) throw std::runtime_error("submitted transaction missing from the block");
    out.result = record->result;
    out.in_block = true;
    return out;
  }
  template <class P>
  Sent send(const KeyPair& key, TxType type, const P& payload, std::int64_t at_ms) {
    return send(key, type, encode_service(payload), at_ms);
  }

  // Several transactions admitted at `at_ms` and committed together in one block.
  std::vector<Sent> send_together(const std::vector<std::pair<const KeyPair*, Transaction>>& txs,
                                  std::int64_t at_ms) {
    std::vector<Sent> out;
    app_.set_check_time(at_ms);
    for (const auto& [key, tx] : txs) out.push_back({engine_.submit(tx), hash_of(tx), false});
    engine_.produce(at_ms);
    for (Sent& s : out) {
      if (auto record = store_.blocks().tx(s.hash)) {
        s.result = record->result;
        s.in_block = true;
      }
    }
    return out;
  }
  template <class P>
  Transaction make(const KeyPair& key, TxType type, const P& payload,
                   std::uint64_t nonce_offset = 0) {
    return signed_tx(key, kChain, type, next_nonce(key) + nonce_offset, encode_service(payload));
  }

  // Registers `key` with `role` and has the admin verify it.
  void join(const KeyPair& key, Role role, std::int64_t at_ms = kMonday) {
    expect_ok(send(key, TxType::kRegisterMember, RegisterMemberPayload{role, Hash{}}, at_ms));
    expect_ok(send(admin, TxType::kAttest,
                   SubjectPayload{SubjectKind::kMember, key.public_key(), "", ""}, at_ms));
  }
  // A verified pile of `owner`, open all week, with `tariff`.
  void open_pile(const std::string& id, const Tariff& tariff, std::int64_t at_ms = kMonday) {
    expect_ok(send(owner, TxType::kRegisterPile,
                   PileSpecPayload{id, always_available_spec("u33dc1", 11'000)}, at_ms));
    expect_ok(send(admin, TxType::kAttest, SubjectPayload{SubjectKind::kPile, {}, id, ""}, at_ms));
    expect_ok(send(owner, TxType::kSetTariff, SetTariffPayload{id, tariff}, at_ms));
  }
  // A top-up of `amount` to `key`, confirmed by the admin.
  void top_up(const KeyPair& key, std::uint64_t amount, std::int64_t at_ms = kMonday) {
    const Sent request = send(
        key, TxType::kRequestTopUp,
        RequestTopUpPayload{amount, TopUpMethod::kManual, admin.public_key(), "top-up"}, at_ms);
    expect_ok(request);
    expect_ok(send(admin, TxType::kConfirmTopUp, ConfirmTopUpPayload{request.hash}, at_ms));
  }

  static void expect_ok(const Sent& s) {
    if (!s.result.ok()) throw std::runtime_error("expected success: " + s.result.log);
  }

  ServiceReader read() const { return ServiceReader(view_); }
  std::uint64_t balance(const KeyPair& key) const {
    return read().account(key.public_key()).balance;
  }
  std::optional<BookingRecord> booking(const Hash& id) const { return read().booking(id); }
  std::optional<MemberRecord> member(const KeyPair& key) const {
    return read().member(key.public_key());
  }

  // Every wallet plus every escrow, from the committed state; the conservation check.
  std::uint64_t money_held() const {
    std::uint64_t total = 0;
    const std::string acct = "acct/", booking = "booking/";
    for (const auto& [k, v] : store_.state().scan_prefix(
             std::span(reinterpret_cast<const std::uint8_t*>(acct.data()), acct.size()),
             1u << 20)) {
      std::string error;
      total += decode_account(v, error).value().balance;
    }
    for (const auto& [k, v] : store_.state().scan_prefix(
             std::span(reinterpret_cast<const std::uint8_t*>(booking.data()), booking.size()),
             1u << 20)) {
      std::string error;
      total += decode_service<BookingRecord>(v, error).value().escrow;
    }
    return total;
  }

  LedgerStore& store() { return store_; }
  const Genesis& genesis() const { return genesis_; }
  const KeyPair& validator() const { return validator_; }

 private:
  std::uint64_t next_nonce(const KeyPair& key) {
    return app_.account(key.public_key()).value_or(AccountRecord{}).nonce + 1;
  }

  pilemesh::test::TempDir dir_;
  KeyPair validator_;
  FileKeyStore validator_store_;
  Genesis genesis_;
  LedgerStore store_;
  LedgerApp app_;
  Mempool mempool_;
  SoloEngine engine_;
  CommittedState view_{store_.state()};
};

}  // namespace pilemesh::ledger::test
