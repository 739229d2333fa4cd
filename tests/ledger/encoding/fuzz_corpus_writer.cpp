// The seed corpus of fuzz_ledger_decode: valid encodings of each object and some broken ones.
// The test checks that the committed corpus is what the current encoding produces, so the
// corpus cannot silently go stale. After a deliberate encoding change, regenerate it with
//   PILEMESH_CORPUS_DIR=tests/fuzz/corpus/ledger_decode build/bin/ledger_encoding_test
//     --gtest_filter='*LedgerDecodeCorpus*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "samples.hpp"

namespace pilemesh::ledger {
namespace {

using namespace test;

// Writes the file when regenerating; otherwise compares it with the committed one.
void write(const std::filesystem::path& dir, const std::string& name, const Bytes& bytes) {
  if (std::getenv("PILEMESH_CORPUS_DIR") != nullptr) {
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << name;
    return;
  }
  std::ifstream in(dir / name, std::ios::binary);
  ASSERT_TRUE(in.good()) << name << " is missing from the corpus";
  const Bytes committed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(committed, bytes) << name
                              << " differs from the current encoding; regenerate the corpus";
}

Bytes cut(Bytes b, std::size_t drop) {
  b.resize(b.size() - drop);
  return b;
}

Bytes appended(Bytes b) {
  b.push_back(0);
  return b;
}

TEST(FuzzCorpus, LedgerDecodeCorpusMatchesTheEncoding) {
  const char* dir_env = std::getenv("PILEMESH_CORPUS_DIR");
  const std::filesystem::path dir(dir_env != nullptr ? dir_env : PILEMESH_LEDGER_CORPUS_DIR);
  std::filesystem::create_directories(dir);

  Block genesis_next;  // block 1: no transactions, empty last commit
  genesis_next.header.chain_id = "pm-test";
  genesis_next.header.height = 1;
  auto header_all_branches = sample_header();
  header_all_branches.branches = {{Branch::kIdentity, 1, {}},
                                  {Branch::kCharging, 1, {}},
                                  {Branch::kEvaluation, 1, {}},
                                  {Branch::kMarket, 1, {}}};

  write(dir, "tx.bin", encode(sample_tx()));
  write(dir, "tx-empty.bin", encode(Transaction{}));
  write(dir, "header.bin", encode(sample_header()));
  write(dir, "header-all-branches.bin", encode(header_all_branches));
  write(dir, "vote.bin", encode(sample_vote()));
  write(dir, "commit.bin", encode(sample_commit()));
  write(dir, "block.bin", encode(sample_block()));
  write(dir, "block-1.bin", encode(genesis_next));

  auto unsorted = sample_header();
  std::swap(unsorted.branches[0], unsorted.branches[1]);
  auto long_chain = sample_tx();
  long_chain.chain_id.assign(kMaxChainIdBytes + 1, 'c');
  write(dir, "broken-empty.bin", {});
  write(dir, "broken-tx-truncated.bin", cut(encode(sample_tx()), 10));
  write(dir, "broken-tx-trailing.bin", appended(encode(sample_tx())));
  write(dir, "broken-tx-long-chain-id.bin", encode(long_chain));
  write(dir, "broken-header-unsorted-branches.bin", encode(unsorted));
  write(dir, "broken-block-truncated.bin", cut(encode(sample_block()), 100));
  Bytes v2 = encode(sample_vote());
  v2[0] = 2;
  write(dir, "broken-vote-version.bin", v2);
}

}  // namespace
}  // namespace pilemesh::ledger
