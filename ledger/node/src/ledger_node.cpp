#include "pilemesh/ledger/ledger_node.hpp"

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace pilemesh::ledger {
namespace {

Genesis single_node_genesis(const KeyStore& key) {
  Genesis g;
  g.chain_id = "pilemesh-" + key.public_key().hex().substr(0, 12);
  // The one place the wall clock enters the chain: as data, written once into the genesis.
  g.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  g.validators = {key.public_key()};
  // The gateway's owner administers a chain of their own.
  g.members = {{key.public_key(), Role::kAdmin}};
  return g;
}

Genesis resolve_genesis(const LedgerNodeOptions& options, const KeyStore& key) {
  if (!options.genesis_file.empty()) return load_genesis(options.genesis_file);
  const auto file = options.data_dir / "genesis.json";
  if (std::filesystem::exists(file)) return load_genesis(file);
  Genesis g = single_node_genesis(key);
  std::ofstream(file) << genesis_to_json(g);
  return g;
}

}  // namespace

LedgerNode::LedgerNode(std::unique_ptr<KeyStore> key, Genesis genesis, LedgerStore store,
                       const LedgerNodeOptions& options)
    : key_(std::move(key)),
      genesis_(std::move(genesis)),
      store_(std::move(store)),
      app_(store_.state()),
      mempool_(app_, options.mempool),
      engine_(store_, app_, mempool_, *key_, options.solo) {}

std::unique_ptr<LedgerNode> LedgerNode::open(const LedgerNodeOptions& options) {
  auto key = std::make_unique<FileKeyStore>(options.data_dir / "node.key");
  Genesis genesis = resolve_genesis(options, *key);
  LedgerStore store = LedgerStore::open(options.data_dir / "ledger.db");
  if (std::string problem = store.blocks().quick_check(options.quick_check_blocks);
      !problem.empty()) {
    throw std::runtime_error(
        (options.data_dir / "ledger.db").string() + " failed its check: " + problem +
        "; run `pilemesh ledger verify` and restore the file from a backup or a peer");
  }
  const Hash id = genesis_hash(genesis);
  if (auto stored = store.meta("genesis_hash")) {
    if (Bytes(id.bytes.begin(), id.bytes.end()) != *stored) {
      throw std::runtime_error(
          (options.data_dir / "ledger.db").string() + " holds another chain than the genesis \"" +
          genesis.chain_id +
          "\"; use the genesis it was made with or start from an empty data directory");
    }
  }
  std::unique_ptr<LedgerNode> node(
      new LedgerNode(std::move(key), genesis, std::move(store), options));
  node->engine_.init(node->genesis_);
  if (!node->store_.meta("genesis_hash")) node->store_.set_meta("genesis_hash", id.bytes);
  return node;
}

}  // namespace pilemesh::ledger
