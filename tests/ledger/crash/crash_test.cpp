// Crash safety of the ledger: a node killed with SIGKILL at random points of its commit path
// never loses a block it reported committed, never holds half a block (state and block are
// one transaction), keeps a chain that passes its checks and replays from genesis, and
// continues from its height when started again.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>

#include "child_process.hpp"
#include "pilemesh/ledger/ledger_app.hpp"
#include "pilemesh/ledger/ledger_node.hpp"
#include "pilemesh/ledger/ledger_store.hpp"
#include "pilemesh/ledger/replay.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger {
namespace {

using pilemesh::test::TempDir;

constexpr int kKills = 200;
constexpr int kReplayEvery = 20;

struct Reported {
  std::map<Height, Hash> roots;  // every height the child reported committed, with its root
  Height highest = 0;
};

// Parses "committed <height> <root hex>".
bool parse_committed(const std::string& line, Height& height, Hash& root) {
  std::istringstream in(line);
  std::string word, hex;
  if (!(in >> word >> height >> hex) || word != "committed") return false;
  auto parsed = Hash::from_hex(hex);
  if (!parsed) return false;
  root = *parsed;
  return true;
}

// Opens the store the killed child left and checks it; returns its height.
Height check_store(const std::filesystem::path& data, const Reported& reported, bool replay) {
  LedgerStore store = LedgerStore::open(data / "ledger.db");
  const BlockStore& blocks = store.blocks();
  EXPECT_EQ(blocks.quick_check(16), "");
  EXPECT_EQ(blocks.verify_chain(), "");
  const Height height = blocks.height();
  EXPECT_GE(height, reported.highest) << "a block reported committed is gone";
  for (const auto& [h, root] : reported.roots) {
    const auto header = blocks.header(h);
    if (!header) {
      ADD_FAILURE() << "block " << h << " is missing";
      continue;
    }
    EXPECT_EQ(header->state_root, root) << "block " << h;
  }
  // No partial block: the state is exactly the state of the newest block.
  LedgerApp app(store.state());
  EXPECT_EQ(app.info().height, height);
  if (height > 0) {
    EXPECT_EQ(store.state().root(), blocks.header(height)->state_root);
  }

  if (replay) {
    TempDir fresh;
    LedgerStore target = LedgerStore::open(fresh.path() / "replay.db");
    LedgerApp replay_app(target.state());
    const ReplayReport report =
        replay_chain(blocks, load_genesis(data / "genesis.json"), target, replay_app);
    EXPECT_TRUE(report.ok()) << "block " << report.bad_height << ": " << report.reason;
    EXPECT_EQ(report.checked, height);
  }
  return height;
}

TEST(CrashSafety, SigkillAnywhereInTheCommitPathLosesNothingCommitted) {
  TempDir dir;
  const auto data = dir.path() / "node";
  std::filesystem::create_directory(data);
  std::mt19937 rng(20261123);
  Reported reported;
  Height stored = 0;
  int empty_runs = 0;

  for (int kill = 0; kill < kKills; ++kill) {
    crash::ChildProcess child({CRASH_CHILD_PATH, data.string(), std::to_string(kill)});
    const auto ready = child.read_line();
    ASSERT_TRUE(ready) << "the child died before it was ready (run " << kill << ")";
    ASSERT_EQ(*ready, "ready " + std::to_string(stored))
        << "the child did not continue from the stored height";

    // Kill after 0..3 commits, so that the kill lands somewhere in the next commit.
    const int commits = static_cast<int>(rng() % 4);
    if (commits == 0) ++empty_runs;
    for (int i = 0; i < commits; ++i) {
      const auto line = child.read_line();
      ASSERT_TRUE(line) << "the child stopped by itself (run " << kill << ")";
      Height h = 0;
      Hash root;
      ASSERT_TRUE(parse_committed(*line, h, root)) << *line;
      ASSERT_GT(h, reported.highest);
      reported.roots[h] = root;
      reported.highest = h;
    }
    const int status = child.kill_and_wait();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child exited by itself (run " << kill << ")";

    stored = check_store(data, reported, (kill + 1) % kReplayEvery == 0);
    ASSERT_FALSE(HasFailure()) << "after kill " << kill;
  }

  // The traffic made real state: piles were charged at and rated.
  LedgerStore store = LedgerStore::open(data / "ledger.db");
  LedgerApp app(store.state());
  std::uint64_t charged = 0, rated = 0;
  for (int i = 0; i < 8; ++i) {
    if (const auto pile = app.pile("pile-" + std::to_string(i))) {
      charged += pile->charging_count;
      rated += pile->evaluation_count;
    }
  }
  std::printf("%d kills (%d before any commit), height %llu, %llu charging records, %llu ratings\n",
              kKills, empty_runs, static_cast<unsigned long long>(reported.highest),
              static_cast<unsigned long long>(charged), static_cast<unsigned long long>(rated));
  EXPECT_GT(charged, 0u);
  EXPECT_GT(rated, 0u);
  EXPECT_GT(reported.highest, static_cast<Height>(kKills));
  EXPECT_GT(empty_runs, 0);
}

}  // namespace
}  // namespace pilemesh::ledger
