#include "pilemesh/gateway/ledger_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::gateway {
namespace {

ledger::LedgerNodeOptions node_options(const std::filesystem::path& data_dir,
                                       const config::LedgerSection& c) {
  ledger::LedgerNodeOptions o;
  o.data_dir = data_dir;
  o.genesis_file = c.genesis;
  o.solo.max_block_txs = c.max_block_txs;
  o.solo.max_block_bytes = c.max_block_bytes;
  o.mempool.max_txs = c.mempool_max_txs;
  o.mempool.max_bytes = c.mempool_max_bytes;
  return o;
}

}  // namespace

LedgerService::LedgerService(boost::asio::io_context& io, const std::filesystem::path& data_dir,
                             const config::LedgerSection& config)
    : io_(io),
      config_(config),
      node_(ledger::LedgerNode::open(node_options(data_dir, config))),
      block_timer_(io),
      idle_timer_(io) {
  // Signature workers for batches (submit_batch); they sleep when none arrive.
  node_->app().set_verify_threads(std::max(1u, std::thread::hardware_concurrency()));
  spdlog::info("ledger: chain \"{}\" at height {}, node key {}", node_->genesis().chain_id,
               node_->engine().height(), node_->key().public_key().hex());
}

LedgerService::~LedgerService() {
  stop();
}

void LedgerService::start() {
  stopped_ = false;
  arm_idle_timer();
}

void LedgerService::stop() {
  stopped_ = true;
  block_timer_.cancel();
  idle_timer_.cancel();
}

std::int64_t LedgerService::now_ms() const {
  if (clock_) return clock_();
  // The proposer's clock becomes the block time; the engine keeps it strictly increasing.
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ledger::TxResult LedgerService::submit(const ledger::Transaction& tx) {
  node_->app().set_check_time(now_ms());
  ledger::TxResult result = node_->engine().submit(tx);
  if (result.ok()) schedule_block();
  return result;
}

std::vector<ledger::TxResult> LedgerService::submit_batch(
    std::span<const ledger::Transaction> txs) {
  node_->app().verify_ahead(txs);
  node_->app().set_check_time(now_ms());
  std::vector<ledger::TxResult> results;
  results.reserve(txs.size());
  bool any = false;
  for (const ledger::Transaction& tx : txs) {
    results.push_back(node_->engine().submit(tx));
    any = any || results.back().ok();
  }
  if (any) schedule_block();
  return results;
}

void LedgerService::schedule_block() {
  if (block_pending_ || stopped_) return;
  block_pending_ = true;
  block_timer_.expires_after(config_.block_interval);
  block_timer_.async_wait([this](const boost::system::error_code& ec) {
    block_pending_ = false;
    if (!ec) make_block(false);
  });
}

void LedgerService::make_block(bool allow_empty) {
  try {
    if (auto height = node_->engine().produce(now_ms(), allow_empty)) {
      ++blocks_made_;
      spdlog::debug("ledger: committed block {}", *height);
      if (on_block_) on_block_(*height);
    }
  } catch (const std::exception& e) {
    // The block was rolled back whole; the transactions stay in the mempool for the next try.
    spdlog::error("ledger: could not commit a block: {}", e.what());
  }
  if (node_->mempool().size() > 0) schedule_block();
  arm_idle_timer();
}

void LedgerService::arm_idle_timer() {
  if (config_.empty_block_interval.count() == 0 || stopped_) return;
  idle_timer_.expires_after(config_.empty_block_interval);
  idle_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) make_block(true);
  });
}

void LedgerService::register_own_piles(const std::vector<std::string>& pile_ids,
                                       const std::string& location, const std::string& address) {
  if (location.empty()) {
    if (!pile_ids.empty())
      spdlog::info("ledger: gateway.location is not set; the piles are not offered to neighbours");
    return;
  }
  const ledger::KeyStore& key = node_->key();
  std::uint64_t nonce =
      node_->app().account(key.public_key()).value_or(ledger::AccountRecord{}).nonce;
  for (const std::string& id : pile_ids) {
    if (node_->app().pile(id)) continue;
    ledger::Transaction tx;
    tx.chain_id = node_->genesis().chain_id;
    tx.type = ledger::TxType::kRegisterPile;
    tx.signer = key.public_key();
    tx.nonce = ++nonce;
    // Open all week at 11 kW until the owner describes the pile (update pile).
    ledger::PileSpec spec = ledger::always_available_spec(location, 11'000);
    // The exact address goes on the ledger only sealed to this gateway's own key.
    if (!address.empty()) {
      spec.sealed_address =
          ledger::seal_to(
              key.public_key(),
              std::span(reinterpret_cast<const std::uint8_t*>(address.data()), address.size()))
              .value_or(ledger::Bytes{});
    }
    tx.payload = ledger::encode_service(ledger::PileSpecPayload{id, std::move(spec)});
    tx.signature = key.sign(ledger::signing_bytes(tx));
    const ledger::TxResult r = submit(tx);
    if (r.ok()) {
      spdlog::info("ledger: registering pile \"{}\"", id);
    } else {
      --nonce;
      spdlog::warn("ledger: cannot register pile \"{}\": {}", id, r.log);
    }
  }
}

}  // namespace pilemesh::gateway
