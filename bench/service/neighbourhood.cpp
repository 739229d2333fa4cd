#include "neighbourhood.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "pilemesh/ledger/ledger_json.hpp"

namespace pilemesh::ledger::bench {
namespace {

constexpr const char* kGeohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

Genesis service_genesis(const KeyPair& validator, const KeyPair& admin) {
  Genesis g;
  g.chain_id = kChain;
  g.time_ms = kMonday - kHour;
  g.validators = {validator.public_key()};
  g.members = {{admin.public_key(), Role::kAdmin}};
  return g;
}

}  // namespace

Neighbourhood::Neighbourhood(const std::filesystem::path& file, NeighbourhoodSize size)
    : validator_(make_accounts(1, 20).front()),
      admin_(make_accounts(1, 21).front()),
      owners_(make_accounts(size.owners, 22)),
      members_(make_accounts(size.members, 23)),
      node_(file, validator_, service_genesis(validator_, admin_), SoloOptions{},
            MempoolOptions{}) {
  build_piles(size.owners * size.piles_per_owner);

  // Everyone joins; the admin verifies them.
  std::vector<Transaction> txs;
  for (const KeyPair& k : owners_)
    txs.push_back(make(k, TxType::kRegisterMember, RegisterMemberPayload{Role::kPileOwner, {}}));
  for (const KeyPair& k : members_)
    txs.push_back(make(k, TxType::kRegisterMember, RegisterMemberPayload{Role::kEvUser, {}}));
  commit(txs);
  txs.clear();
  for (const auto* group : {&owners_, &members_}) {
    for (const KeyPair& k : *group) {
      txs.push_back(make(admin_, TxType::kAttest,
                         SubjectPayload{SubjectKind::kMember, k.public_key(), "", ""}));
    }
  }
  commit(txs);

  // The owners register their piles; the admin verifies each; the owners price them.
  txs.clear();
  for (const BenchPile& p : piles_)
    txs.push_back(make(owners_[p.owner], TxType::kRegisterPile, PileSpecPayload{p.id, p.spec}));
  commit(txs);
  txs.clear();
  for (const BenchPile& p : piles_)
    txs.push_back(make(admin_, TxType::kAttest, SubjectPayload{SubjectKind::kPile, {}, p.id, ""}));
  commit(txs);
  txs.clear();
  for (const BenchPile& p : piles_)
    txs.push_back(make(owners_[p.owner], TxType::kSetTariff, SetTariffPayload{p.id, p.tariff}));
  commit(txs);

  // Members top up 10 000.00 each by bank transfer to the admin, who confirms receiving it.
  txs.clear();
  for (const KeyPair& k : members_) {
    txs.push_back(make(k, TxType::kRequestTopUp,
                       RequestTopUpPayload{1'000'000, TopUpMethod::kSepaTransfer,
                                           admin_.public_key(), "PILEMESH TOP-UP"}));
  }
  commit(txs);
  std::vector<Transaction> confirms;
  for (const Transaction& request : txs)
    confirms.push_back(make(admin_, TxType::kConfirmTopUp, ConfirmTopUpPayload{hash_of(request)}));
  commit(confirms);
}

// Piles spread over the cells of u33d (central Berlin, ~40 × 20 km) at 7-character cells
// (~150 m), with the powers, hours, closures and prices of a real mix.
void Neighbourhood::build_piles(std::size_t count) {
  std::mt19937_64 rng(4);
  auto pick = [&](std::uint64_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::size_t per_owner = std::max<std::size_t>(1, count / owners_.size());
  piles_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    BenchPile p;
    p.id = "pile-" + std::to_string(100000 + i).substr(1);
    p.owner = std::min(i / per_owner, owners_.size() - 1);
    std::string cell = "u33d";
    for (int c = 0; c < 3; ++c) cell += kGeohashAlphabet[pick(32)];
    struct Kind {
      std::uint32_t power_w;
      ConnectorType type;
    };
    static constexpr Kind kKinds[] = {
        {3'700, ConnectorType::kType2},  {7'400, ConnectorType::kType2},
        {11'000, ConnectorType::kType2}, {11'000, ConnectorType::kType2},
        {11'000, ConnectorType::kType2}, {22'000, ConnectorType::kType2},
        {22'000, ConnectorType::kType2}, {50'000, ConnectorType::kCcs2},
        {150'000, ConnectorType::kCcs2}, {50'000, ConnectorType::kChademo},
    };
    const Kind kind = kKinds[pick(std::size(kKinds))];
    p.spec = always_available_spec(cell, kind.power_w, kind.type);
    if (kind.type == ConnectorType::kCcs2 && pick(2) == 0)
      p.spec.connectors.push_back({ConnectorType::kType2, 22'000});
    p.spec.phases = kind.power_w <= 7'400 ? 1 : 3;
    p.spec.amenities = static_cast<std::uint32_t>(rng() & kKnownAmenities);
    const std::size_t hours = pick(20);
    if (hours < 4) {
      // A driveway free evenings and nights only: 18:00 to 07:00.
      p.spec.availability = {{0x7f, 0, 7 * 60}, {0x7f, 18 * 60, 1440}};
    } else if (hours < 6) {
      // An office car park: weekdays 08:00 to 18:00.
      p.spec.availability = {{0x1f, 8 * 60, 18 * 60}};
    } else if (hours < 9) {
      // Open all week, but closed for 2 to 5 hours on Monday afternoon or evening.
      const std::int64_t from = kMonday + static_cast<std::int64_t>(12 + pick(8)) * kHour;
      p.spec.closures = {{from, from + static_cast<std::int64_t>(2 + pick(4)) * kHour},
                         {kMonday + 3 * 24 * kHour, kMonday + 4 * 24 * kHour}};
    } else {
      p.always_open = true;
    }
    p.tariff.price_per_kwh = 20 + pick(45);  // 0.20 to 0.64 per kWh
    p.tariff.price_per_minute = pick(3);
    p.tariff.idle_per_minute = 5 + pick(10);
    p.tariff.booking_fee = pick(4) * 25;
    p.tariff.free_cancel_before_ms = kHour;
    p.tariff.cancel_fee = 100;
    p.tariff.no_show_fee = 300;
    if (pick(5) == 0) {  // dearer at the weekday evening peak
      p.tariff.time_of_use = {{{0x1f, 17 * 60, 20 * 60}, p.tariff.price_per_kwh + 10}};
    }
    piles_.push_back(std::move(p));
  }
}

void Neighbourhood::submit(const Transaction& tx) {
  if (const TxResult r = node_.engine.submit(tx); !r.ok())
    throw std::runtime_error("submit " + std::string(tx_type_name(tx.type)) + ": " + r.log);
}

void Neighbourhood::produce() {
  clock_ms_ += 1000;
  node_.engine.produce(clock_ms_);
  node_.app.set_check_time(clock_ms_);
}

void Neighbourhood::commit(const std::vector<Transaction>& txs, std::size_t block_txs) {
  node_.app.set_check_time(clock_ms_);
  for (std::size_t i = 0; i < txs.size(); i += block_txs) {
    const std::size_t end = std::min(txs.size(), i + block_txs);
    for (std::size_t j = i; j < end; ++j) submit(txs[j]);
    produce();
    if (node_.mempool.size() != 0) throw std::runtime_error("a block left transactions behind");
    for (std::size_t j = i; j < end; ++j) {
      const auto record = node_.store.blocks().tx(hash_of(txs[j]));
      if (!record) throw std::runtime_error("a submitted transaction is missing from its block");
      if (!record->result.ok()) {
        throw std::runtime_error(std::string(tx_type_name(txs[j].type)) +
                                 " failed: " + record->result.log);
      }
    }
  }
}

}  // namespace pilemesh::ledger::bench
