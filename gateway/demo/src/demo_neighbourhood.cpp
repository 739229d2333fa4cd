#include "pilemesh/gateway/demo_neighbourhood.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <stdexcept>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_json.hpp"
#include "pilemesh/ledger/ledger_node.hpp"
#include "pilemesh/ledger/offchain_store.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::gateway {
namespace {

using namespace pilemesh::ledger;

constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;
constexpr std::uint64_t kStartingBalance = 200'000;  // 2 000.00 each

std::array<std::uint8_t, 32> demo_seed(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(0xd0);
  seed[0] = n;
  return seed;
}

void write_key_file(const std::filesystem::path& file, const std::array<std::uint8_t, 32>& seed) {
  std::filesystem::create_directories(file.parent_path());
  {
    std::ofstream out(file, std::ios::trunc);
    out << to_hex(seed) << '\n';
    if (!out) throw std::runtime_error("cannot write " + file.string());
  }
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

// A small deterministic generator, so that every demo is the same demo.
struct Lcg {
  std::uint64_t state = 0x5eed;
  std::uint32_t next(std::uint32_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>((state >> 33) % bound);
  }
};

class DemoChain {
 public:
  DemoChain(LedgerNode& node, OffchainStore& offchain) : node_(node), offchain_(offchain) {}

  // The time of the next block: the contracts' time rules judge what is queued by it.
  void at(std::int64_t time_ms) {
    time_ms_ = time_ms;
    node_.app().set_check_time(time_ms);
  }

  // Signs and queues a transaction of `signer` (a demo key or the node's key store).
  template <class Payload>
  Hash send(const KeyStore& signer, TxType type, const Payload& payload) {
    Transaction tx;
    tx.chain_id = node_.genesis().chain_id;
    tx.type = type;
    tx.signer = signer.public_key();
    tx.nonce = ++nonces_[tx.signer];
    tx.payload = encode_service(payload);
    tx.signature = signer.sign(signing_bytes(tx));
    const Hash hash = hash_of(tx);
    if (const TxResult r = node_.engine().submit(tx); !r.ok())
      throw std::runtime_error("demo: " + std::string(tx_type_name(type)) + " refused: " + r.log);
    pending_.push_back(hash);
    return hash;
  }

  // Commits what is queued as a block at the time set by at(), and insists that all of it
  // succeeded.
  void block() {
    if (!node_.engine().produce(time_ms_)) return;
    ++blocks_;
    for (const Hash& h : pending_) {
      const auto rec = node_.store().blocks().tx(h);
      if (!rec || !rec->result.ok()) {
        throw std::runtime_error("demo: a transaction failed: " +
                                 (rec ? rec->result.log : std::string("not in the block")));
      }
    }
    pending_.clear();
  }

  OffchainStore& offchain() { return offchain_; }
  std::uint64_t blocks() const { return blocks_; }

 private:
  LedgerNode& node_;
  OffchainStore& offchain_;
  std::map<PublicKey, std::uint64_t> nonces_;
  std::vector<Hash> pending_;
  std::uint64_t blocks_ = 0;
  std::int64_t time_ms_ = 0;
};

struct DemoPile {
  std::string id;
  const KeyStore* owner;
  std::uint32_t power_w;
  std::uint64_t meter_wh = 1'250'000;  // the pile's energy register
  Hash last_charging, last_evaluation;
  int quality;  // how well it serves: 1..3, what its ratings lean to
};

struct Neighbour {
  std::string name;
  FileKeyStore key;
  Hash last_charging, last_evaluation;
};

const char* const kReviews[] = {
    "Easy to find, the cable reaches any car.",
    "Quick and friendly, and the app made it simple.",
    "Charged fine, but the driveway is a bit tight.",
    "Perfect for an evening top-up while I cook.",
    "Ready on time and fair price.",
};

}  // namespace

namespace {

// Builds the demo in `dir` (`final_dir` is where it will live, for the key files' paths).
DemoSummary build_demo(const DemoOptions& o, const std::filesystem::path& dir,
                       const std::filesystem::path& final_dir);

// `count` more piles of `owner` in the 7-character cells of `street`, registered, verified and
// priced, a few hundred per block.
void add_extra_piles(DemoChain& chain, const KeyStore& admin, const KeyStore& owner,
                     const std::string& street, std::size_t count, std::int64_t at) {
  static constexpr char kBase32[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  constexpr std::size_t kPerBlock = 300;
  for (std::size_t first = 0; first < count; first += kPerBlock) {
    const std::size_t last = std::min(count, first + kPerBlock);
    auto id = [](std::size_t i) { return "street-" + std::to_string(i + 1); };
    chain.at(at += kMinute);
    for (std::size_t i = first; i < last; ++i) {
      const std::string cell = street + kBase32[(i / 32) % 32] + kBase32[i % 32];
      chain.send(owner, TxType::kRegisterPile,
                 PileSpecPayload{id(i), always_available_spec(cell, i % 3 == 0 ? 22'000 : 11'000)});
    }
    chain.block();
    chain.at(at += kMinute);
    for (std::size_t i = first; i < last; ++i)
      chain.send(admin, TxType::kAttest, SubjectPayload{SubjectKind::kPile, {}, id(i), ""});
    chain.block();
    chain.at(at += kMinute);
    for (std::size_t i = first; i < last; ++i) {
      Tariff t;
      t.price_per_kwh = 25 + i % 20;
      t.booking_fee = 50;
      chain.send(owner, TxType::kSetTariff, SetTariffPayload{id(i), t});
    }
    chain.block();
  }
}

}  // namespace

DemoSummary seed_demo_neighbourhood(const DemoOptions& options) {
  namespace fs = std::filesystem;
  const fs::path& target = options.data_dir;
  if (fs::exists(target) && !fs::is_empty(target)) {
    throw std::runtime_error(
        target.string() +
        (fs::exists(target / "ledger.db") ? " holds a ledger already" : " is not empty") +
        "; the demo needs an empty data folder");
  }
  // Built aside and moved into place whole: a demo that failed half-way leaves nothing behind
  // that would pass for a seeded one.
  const fs::path building = fs::path(target.string() + ".seeding");
  fs::remove_all(building);
  DemoSummary summary;
  try {
    summary = build_demo(options, building, target);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(building, ignored);
    throw;
  }
  if (fs::exists(target)) fs::remove(target);  // empty, checked above
  fs::rename(building, target);
  return summary;
}

namespace {

DemoSummary build_demo(const DemoOptions& options, const std::filesystem::path& dir,
                       const std::filesystem::path& final_dir) {
  DemoOptions o = options;
  o.data_dir = dir;
  std::filesystem::create_directories(o.data_dir);
  std::filesystem::permissions(o.data_dir, std::filesystem::perms::owner_all);
  const FileKeyStore gateway(o.data_dir / "node.key");

  DemoSummary summary;
  std::vector<Neighbour> people;
  const char* const names[] = {"alice", "bob", "carol", "dave", "erin", "frank"};
  for (std::uint8_t i = 0; i < 6; ++i) {
    const auto seed = demo_seed(i + 1);
    const auto file = o.data_dir / "demo-keys" / (std::string(names[i]) + ".key");
    write_key_file(file, seed);
    people.push_back({names[i], FileKeyStore(KeyPair::from_seed(seed)), {}, {}});
    summary.members.push_back({names[i], people.back().key.public_key().hex(),
                               final_dir / "demo-keys" / (std::string(names[i]) + ".key")});
  }
  const KeyStore& frank = people[5].key;

  // The chain starts `days` ago at midnight UTC; its admin is this gateway.
  const std::int64_t day0 = (o.now_ms - o.days * kDay) / kDay * kDay;
  Genesis g;
  g.chain_id = "pilemesh-demo";
  g.time_ms = day0;
  g.validators = {gateway.public_key()};
  g.members = {{gateway.public_key(), Role::kAdmin}};
  for (const auto& p : people)
    g.members.push_back({p.key.public_key(), p.name == "frank" ? Role::kPileOwner : Role::kEvUser});
  for (const auto& p : people) g.accounts.push_back({p.key.public_key(), kStartingBalance});
  std::sort(g.members.begin(), g.members.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  std::sort(g.accounts.begin(), g.accounts.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  std::ofstream(o.data_dir / "genesis.json") << genesis_to_json(g);

  LedgerNodeOptions node_options;
  node_options.data_dir = o.data_dir;
  auto node = LedgerNode::open(node_options);
  OffchainStore offchain = OffchainStore::open(o.data_dir / "offchain.db");
  DemoChain chain(*node, offchain);

  // The piles: this gateway's, and two of Frank's a few streets away.
  std::vector<DemoPile> piles = {{o.pile_id, &node->key(), 11'000, 1'250'000, {}, {}, 3},
                                 {"frank-carport", &frank, 22'000, 830'000, {}, {}, 3},
                                 {"frank-garage", &frank, 7'400, 410'000, {}, {}, 2}};
  const std::string street = o.location.substr(0, 5);
  chain.at(day0 + kHour);
  for (std::size_t i = 0; i < piles.size(); ++i) {
    PileSpec spec =
        always_available_spec(i == 0 ? o.location : street + "f" + char('0' + i), piles[i].power_w);
    if (i == 0 && !o.address.empty()) {
      spec.sealed_address =
          seal_to(
              gateway.public_key(),
              std::span(reinterpret_cast<const std::uint8_t*>(o.address.data()), o.address.size()))
              .value_or(Bytes{});
    }
    spec.amenities = i == 1 ? 1 | 2 | 64 : 2;
    chain.send(*piles[i].owner, TxType::kRegisterPile, PileSpecPayload{piles[i].id, spec});
  }
  chain.block();
  chain.at(day0 + 2 * kHour);
  for (std::size_t i = 1; i < piles.size(); ++i)
    chain.send(gateway, TxType::kAttest, SubjectPayload{SubjectKind::kPile, {}, piles[i].id, ""});
  const std::uint64_t prices[] = {30, 38, 27};
  for (std::size_t i = 0; i < piles.size(); ++i) {
    Tariff t;
    t.price_per_kwh = prices[i];
    t.booking_fee = 50;
    t.free_cancel_before_ms = 2 * kHour;
    t.cancel_fee = 100;
    t.no_show_fee = 300;
    if (i == 1) t.time_of_use = {{{0x7f, 0, 6 * 60}, 22}};  // cheaper at night
    chain.send(*piles[i].owner, TxType::kSetTariff, SetTariffPayload{piles[i].id, t});
  }
  chain.block();
  add_extra_piles(chain, gateway, frank, street, o.extra_piles, day0 + 3 * kHour);

  // Every day some neighbours charge: in the morning or after work, one per pile and window.
  Lcg rng;
  std::vector<Neighbour*> drivers;
  for (auto& p : people)
    if (p.name != "frank") drivers.push_back(&p);
  struct Session {
    Neighbour* who;
    DemoPile* pile;
    std::int64_t start, end, stop;
    std::string token;
    Hash booking;
  };
  for (int d = 1; d < o.days; ++d) {
    const std::int64_t day = day0 + d * kDay;
    std::vector<Session> sessions;
    for (const int window_start_h : {7, 17}) {
      // Nobody charges at two piles at once.
      std::vector<Neighbour*> free = drivers;
      for (auto& pile : piles) {
        if (rng.next(100) >= (window_start_h == 17 ? 70u : 35u)) continue;
        Session s;
        const auto pick = rng.next(static_cast<std::uint32_t>(free.size()));
        s.who = free[pick];
        free.erase(free.begin() + pick);
        s.pile = &pile;
        s.start = day + (window_start_h + static_cast<int>(rng.next(3))) * kHour;
        s.end = s.start + (1 + rng.next(2)) * kHour;
        s.stop = s.end - static_cast<std::int64_t>(rng.next(30)) * kMinute;
        s.token = "demo-" + std::to_string(d) + "-" + pile.id + std::to_string(window_start_h);
        sessions.push_back(std::move(s));
      }
    }
    if (sessions.empty()) continue;
    chain.at(day + 6 * kHour);
    for (auto& s : sessions) {
      s.booking = chain.send(s.who->key, TxType::kBook,
                             BookPayload{s.pile->id, s.start, s.end, sha256(s.token), 1'000'000});
    }
    chain.block();
    std::sort(sessions.begin(), sessions.end(),
              [](const Session& a, const Session& b) { return a.start < b.start; });
    // Starts and stops in time order, each in a block at its own time.
    std::vector<std::pair<std::int64_t, std::pair<Session*, bool>>> steps;
    for (auto& s : sessions) {
      steps.push_back({s.start + 2 * kMinute, {&s, true}});
      steps.push_back({s.stop, {&s, false}});
    }
    std::sort(steps.begin(), steps.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [when, step] : steps) {
      Session& s = *step.first;
      chain.at(when);
      if (step.second) {
        chain.send(*s.pile->owner, TxType::kStartSession,
                   StartSessionPayload{s.booking, s.token, s.pile->meter_wh});
      } else {
        // Meter values every ten minutes, kept off-chain; the stop anchors their chain.
        const std::int64_t begin = s.start + 2 * kMinute;
        const double kw = s.pile->power_w / 1000.0 * (0.6 + rng.next(35) / 100.0);
        std::vector<MeterValue> values;
        for (std::int64_t t = begin; t <= s.stop; t += 10 * kMinute) {
          values.push_back(
              {t, s.pile->meter_wh +
                      static_cast<std::uint64_t>(kw * static_cast<double>(t - begin) / kHour)});
        }
        values.push_back(
            {s.stop, s.pile->meter_wh + static_cast<std::uint64_t>(
                                            kw * static_cast<double>(s.stop - begin) / kHour)});
        const Hash series = chain.offchain().put_meter_series(values);
        const Hash stop = chain.send(
            *s.pile->owner, TxType::kStopSession,
            StopSessionPayload{s.booking, values.back().energy_wh, series,
                               static_cast<std::uint32_t>(values.size()), StopReason::kByUser,
                               s.pile->last_charging, s.who->last_charging});
        s.pile->meter_wh = values.back().energy_wh;
        s.pile->last_charging = s.who->last_charging = stop;
        ++summary.sessions;
      }
      chain.block();
    }
    // In the evening most of them rate the pile; some write a few words, and owners answer.
    // Each rating in a block of its own: the next one on the same pile points to it.
    std::vector<std::pair<Hash, const KeyStore*>> answers;
    std::int64_t evening = day + 22 * kHour;
    for (auto& s : sessions) {
      chain.at(evening += kMinute);
      if (rng.next(100) >= 75) continue;
      Hash review;
      if (rng.next(100) < 40)
        review = chain.offchain().put_text(OffchainKind::kReview,
                                           kReviews[rng.next(std::size(kReviews))]);
      const auto score = static_cast<std::uint8_t>(
          std::clamp<int>(s.pile->quality - static_cast<int>(rng.next(100) < 25), 1, 3));
      const Hash rating =
          chain.send(s.who->key, TxType::kRateSession,
                     RateSessionPayload{s.booking, score, review, s.pile->last_evaluation,
                                        s.who->last_evaluation});
      s.pile->last_evaluation = s.who->last_evaluation = rating;
      ++summary.ratings;
      if (!review.is_zero()) answers.push_back({rating, s.pile->owner});
      chain.block();
    }
    chain.at(evening + kMinute);
    for (const auto& [rating, owner] : answers) {
      const Hash text =
          chain.offchain().put_text(OffchainKind::kResponse, "Thank you, see you soon!");
      chain.send(*owner, TxType::kRespondRating, RespondRatingPayload{rating, text});
    }
    chain.block();
  }

  // Alice has booked this gateway's pile for tomorrow evening.
  const std::int64_t tomorrow = (o.now_ms / kDay + 1) * kDay;
  chain.at(std::max(o.now_ms - kMinute, day0 + (o.days - 1) * kDay + 23 * kHour));
  chain.send(people[0].key, TxType::kBook,
             BookPayload{o.pile_id, tomorrow + 18 * kHour, tomorrow + 19 * kHour,
                         sha256(std::string("demo-alice-tomorrow")), 1'000'000});
  chain.block();
  summary.blocks = chain.blocks();
  return summary;
}

}  // namespace
}  // namespace pilemesh::gateway
