#include "bench_node.hpp"

#include <linux/magic.h>
#include <stdlib.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace pilemesh::ledger::bench {
namespace {

std::filesystem::path bench_root() {
  if (const char* dir = std::getenv("PILEMESH_BENCH_DIR")) return dir;
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path();
}

struct Figure {
  std::string name;
  double value;
  std::string unit;
};
std::vector<Figure>& figures() {
  static std::vector<Figure> all;
  return all;
}

}  // namespace

BenchDir::BenchDir(const std::string& name) : dir_(bench_root(), name) {}

std::string BenchDir::fs_type() const {
  struct statfs info {};
  if (::statfs(path().c_str(), &info) != 0) return "unknown";
  switch (static_cast<unsigned long>(info.f_type)) {
    case TMPFS_MAGIC:
      return "tmpfs";
    case EXT4_SUPER_MAGIC:
      return "ext4";
    case XFS_SUPER_MAGIC:
      return "xfs";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    default:
      return "other";
  }
}

std::vector<KeyPair> make_accounts(std::size_t n, std::uint8_t salt) {
  std::vector<KeyPair> keys;
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::array<std::uint8_t, 32> seed{};
    seed[0] = salt;
    for (int b = 0; b < 8; ++b) seed[1 + b] = static_cast<std::uint8_t>(i >> (8 * b));
    keys.push_back(KeyPair::from_seed(seed));
  }
  return keys;
}

Genesis make_genesis(const KeyPair& validator, const std::vector<const KeyPair*>& funded) {
  Genesis g;
  g.chain_id = kChain;
  g.time_ms = kGenesisMs;
  g.validators = {validator.public_key()};
  for (const KeyPair* k : funded) g.accounts.push_back({k->public_key(), 1'000'000'000'000});
  std::sort(g.accounts.begin(), g.accounts.end(),
            [](const GenesisAccount& a, const GenesisAccount& b) { return a.key < b.key; });
  for (const GenesisAccount& a : g.accounts) g.members.push_back({a.key, Role::kAdmin});
  return g;
}

Transaction sign_tx(const KeyPair& key, TxType type, std::uint64_t nonce, Bytes payload) {
  Transaction tx;
  tx.chain_id = kChain;
  tx.type = type;
  tx.signer = key.public_key();
  tx.nonce = nonce;
  tx.payload = std::move(payload);
  tx.signature = key.sign(signing_bytes(tx));
  return tx;
}

Transaction transfer(const KeyPair& from, std::uint64_t nonce, const PublicKey& to,
                     std::uint64_t amount) {
  return sign_tx(from, TxType::kTransfer, nonce, encode(TransferPayload{to, amount}));
}

Node::Node(const std::filesystem::path& file, const KeyPair& validator, const Genesis& genesis,
           SoloOptions solo, MempoolOptions pool)
    : key(validator),
      store(LedgerStore::open(file)),
      app(store.state()),
      mempool(app, pool),
      engine(store, app, mempool, key, solo) {
  engine.init(genesis);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void record(const std::string& name, double value, const std::string& unit) {
  figures().push_back({name, value, unit});
}

void print_records() {
  for (const Figure& f : figures())
    std::printf("BENCH %s %.*f %s\n", f.name.c_str(), f.value < 10 ? 3 : 1, f.value,
                f.unit.c_str());
  std::fflush(stdout);
}

}  // namespace pilemesh::ledger::bench
