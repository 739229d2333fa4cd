// `pilemesh ledger verify`: trusts nothing stored. The block store's own check re-derives every
// hash link, tx root and branch link; then a fresh application replays every block from the
// genesis into a scratch ledger, checking commit and transaction signatures and that each
// block's state root is what execution gives.
#include <stdlib.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ledger_actions.hpp"
#include "pilemesh/ledger/committed_state.hpp"
#include "pilemesh/ledger/ledger_app.hpp"
#include "pilemesh/ledger/offchain_store.hpp"
#include "pilemesh/ledger/replay.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::cli {
namespace {

constexpr ledger::Height kProgressEvery = 1000;

// A private temporary folder, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pilemesh-verify-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      throw CommandError(kExitFailed, "cannot create a temporary folder in " +
                                          std::filesystem::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct Outcome {
  ledger::Height checked = 0;
  ledger::Height bad_height = 0;  // 0 when the problem has no height, or there is none
  std::string reason;             // empty when everything agrees
};

// "block 12: tx_root does not match ..." -> 12
ledger::Height height_in(const std::string& problem) {
  const auto at = problem.find("block ");
  if (at == std::string::npos) return 0;
  return std::strtoull(problem.c_str() + at + 6, nullptr, 10);
}

auto progress_printer(const char* what) {
  return [what](ledger::Height done, ledger::Height total) {
    if (done % kProgressEvery == 0) {
      std::cerr << what << " " << done << " of " << total << " blocks\n";
    }
  };
}

Outcome check(ledger::LedgerStore& store, const ledger::Genesis& genesis) {
  Outcome out;
  if (std::string problem = store.blocks().verify_chain(progress_printer("links checked:"));
      !problem.empty()) {
    out.bad_height = height_in(problem);
    out.reason = problem;
    return out;
  }
  const ScratchDir scratch;
  ledger::LedgerStore fresh = ledger::LedgerStore::open(scratch.path() / "ledger.db");
  // A throwaway copy: syncing every replayed block to disk would only make verify slower.
  fresh.db().exec("PRAGMA synchronous=OFF;");
  ledger::LedgerApp app(fresh.state());
  const ledger::ReplayReport report =
      ledger::replay_chain(store.blocks(), genesis, fresh, app, progress_printer("replayed:"));
  out.checked = report.checked;
  if (!report.ok()) {
    out.bad_height = report.bad_height;
    out.reason = "block " + std::to_string(report.bad_height) + ": " + report.reason;
    return out;
  }
  // The headers agree with execution; the state tables this node serves from must too: the
  // stored tree's root, and every stored entry (a value changed behind the tree's back would
  // leave the root as it was).
  if (fresh.state().root() != store.state().root()) {
    out.bad_height = report.checked;
    out.reason = "the stored state's root " + store.state().root().hex() +
                 " differs from the replayed state's " + fresh.state().root().hex();
    return out;
  }
  // Entry by entry, through the stores (the state table with the journal over it): a stored
  // entry that the replay does not have, or has with another value, and a replayed entry that
  // is not stored.
  std::size_t stored_entries = 0, equal = 0, shared_keys = 0, replayed_entries = 0;
  store.state().for_each_flushed([&](const ledger::Bytes& key, const ledger::Bytes& value) {
    ++stored_entries;
    // A damaged key of a size no state key has differs; asking for it would throw.
    if (key.empty() || key.size() > ledger::kMaxStateKeyBytes) return true;
    if (const auto replayed = fresh.state().get(key)) {
      ++shared_keys;
      if (*replayed == value) ++equal;
    }
    return true;
  });
  fresh.state().for_each_flushed([&](const ledger::Bytes&, const ledger::Bytes&) {
    ++replayed_entries;
    return true;
  });
  if (const std::size_t n = (stored_entries - equal) + (replayed_entries - shared_keys); n > 0) {
    out.bad_height = report.checked;
    out.reason = std::to_string(n) + " stored state entries differ from the replayed state";
  }
  return out;
}

struct OffchainOutcome {
  bool present = false;  // offchain.db exists
  std::size_t records = 0;
  std::size_t missing = 0;  // on-chain hashes with no record here
  std::vector<std::string> problems;
};

// Every off-chain record must still give its hash; every hash the chain refers to is counted as
// held here or missing (fetched from a peer later, not an error).
OffchainOutcome check_offchain(const std::filesystem::path& file, ledger::LedgerStore& store) {
  OffchainOutcome out;
  if (!std::filesystem::exists(file)) return out;
  out.present = true;
  const ledger::OffchainStore offchain = ledger::OffchainStore::open(file);
  out.records = offchain.size();
  out.problems = offchain.verify_all();
  auto count = [&](const ledger::Hash& h) {
    if (!h.is_zero() && !offchain.contains(h)) ++out.missing;
  };
  auto each = [&](std::string_view prefix, auto fn) {
    const std::span key(reinterpret_cast<const std::uint8_t*>(prefix.data()), prefix.size());
    for (const auto& [k, v] : store.state().scan_prefix(key, SIZE_MAX)) fn(v);
  };
  std::string error;
  each("rating/", [&](const ledger::Bytes& v) {
    if (auto r = ledger::decode_service<ledger::RatingRecord>(v, error)) {
      count(r->review_hash);
      count(r->response_hash);
    }
  });
  each("member/", [&](const ledger::Bytes& v) {
    if (auto m = ledger::decode_service<ledger::MemberRecord>(v, error)) count(m->profile_hash);
  });
  each("booking/", [&](const ledger::Bytes& v) {
    if (auto b = ledger::decode_service<ledger::BookingRecord>(v, error); b && b->meter_values > 0)
      count(b->meter_chain_hash);
  });
  return out;
}

}  // namespace

int run_verify(const LedgerArgs& args) {
  const LedgerPaths paths = resolve_paths(args);
  ledger::LedgerStore store = open_existing_ledger(paths);
  const ledger::Genesis genesis = read_genesis(paths);
  // One snapshot for the whole check, so that blocks the daemon adds meanwhile are not half
  // seen; they are checked by the next run.
  const ReadSnapshot snapshot(store);
  Outcome out;
  if (genesis_matches(store, genesis) == false) {
    out.reason = paths.genesis_file.string() + " is not the genesis this ledger was made with";
  } else {
    out = check(store, genesis);
  }
  const OffchainOutcome offchain = check_offchain(paths.data_dir / "offchain.db", store);
  if (out.reason.empty() && !offchain.problems.empty())
    out.reason = "off-chain record " + offchain.problems.front();
  const bool ok = out.reason.empty();
  if (args.json) {
    nlohmann::json j{{"ok", ok}, {"blocks", store.blocks().height()}};
    if (offchain.present)
      j["offchain"] = {{"records", offchain.records}, {"missing", offchain.missing}};
    if (!ok) {
      j["bad_height"] = out.bad_height;
      j["reason"] = out.reason;
    }
    std::cout << j.dump(2) << "\n";
  } else if (ok) {
    std::cout << "verified " << out.checked << (out.checked == 1 ? " block" : " blocks")
              << ": ok\n";
    if (offchain.present) {
      std::cout << "verified " << offchain.records << " off-chain records: ok\n";
      if (offchain.missing > 0) {
        std::cout << offchain.missing
                  << " hashes on the chain have no off-chain record here (a peer may hold them)\n";
      }
    }
  } else {
    if (out.bad_height > 0) std::cout << "first bad height: " << out.bad_height << "\n";
    std::cout << "verify failed: " << out.reason << "\n";
  }
  return ok ? kExitOk : kExitFailed;
}

}  // namespace pilemesh::cli
