#include "pilemesh/ledger/signature_verifier.hpp"

#include <algorithm>

#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger {
namespace {

// Outcomes nobody takes (transactions refused for another reason before their signature was
// looked at) must not pile up forever.
constexpr std::size_t kMaxOutcomes = 100000;

}  // namespace

SignatureVerifier::SignatureVerifier(unsigned threads) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) workers_.emplace_back([this] { work(); });
}

SignatureVerifier::~SignatureVerifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  done_.notify_all();
  for (auto& t : workers_) t.join();
}

void SignatureVerifier::enqueue(std::span<const Transaction> txs, std::span<const Hash> hashes) {
  std::vector<Job> jobs;
  jobs.reserve(txs.size());
  // The signing bytes are made here, outside the lock.
  for (std::size_t i = 0; i < txs.size(); ++i)
    jobs.push_back({hashes[i], txs[i].signer, signing_bytes(txs[i]), txs[i].signature});
  {
    std::lock_guard lock(mutex_);
    if (outcomes_.size() + jobs.size() > kMaxOutcomes) {
      std::erase_if(outcomes_, [](const auto& o) { return o.second != Outcome::kPending; });
    }
    for (Job& job : jobs) {
      if (!outcomes_.try_emplace(job.hash, Outcome::kPending).second) continue;
      jobs_.push_back(std::move(job));
    }
  }
  queued_.notify_all();
}

std::optional<bool> SignatureVerifier::take(const Hash& hash) {
  std::unique_lock lock(mutex_);
  auto it = outcomes_.find(hash);
  if (it == outcomes_.end()) return std::nullopt;
  done_.wait(lock, [&] { return stopping_ || it->second != Outcome::kPending; });
  if (it->second == Outcome::kPending) return std::nullopt;  // stopping
  const bool good = it->second == Outcome::kGood;
  outcomes_.erase(it);
  return good;
}

void SignatureVerifier::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    const bool good = verify(job.signer, job.message, job.signature);
    lock.lock();
    // Still there: entries are erased only once they are no longer pending.
    outcomes_[job.hash] = good ? Outcome::kGood : Outcome::kBad;
    done_.notify_all();
  }
}

}  // namespace pilemesh::ledger
