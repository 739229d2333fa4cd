#include <algorithm>
#include <set>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/solo_engine.hpp"

namespace pilemesh::ledger {

namespace {
Vote precommit(const std::string& chain_id, Height height, std::uint32_t round,
               const Hash& block_hash, const PublicKey& validator) {
  Vote vote;
  vote.chain_id = chain_id;
  vote.height = height;
  vote.round = round;
  vote.block_hash = block_hash;
  vote.validator = validator;
  return vote;
}
}  // namespace

Commit sign_commit(const std::string& chain_id, Height height, const Hash& block_hash,
                   const KeyStore& key) {
  const Vote vote = precommit(chain_id, height, 0, block_hash, key.public_key());
  Commit commit;
  commit.height = height;
  commit.round = 0;
  commit.block_hash = block_hash;
  commit.signatures.push_back({key.public_key(), key.sign(signing_bytes(vote))});
  return commit;
}

bool verify_commit(const std::string& chain_id, const Commit& commit,
                   const std::vector<PublicKey>& validators) {
  std::set<PublicKey> signers;
  for (const CommitSignature& s : commit.signatures) {
    if (std::find(validators.begin(), validators.end(), s.validator) == validators.end())
      return false;
    if (!signers.insert(s.validator).second) return false;  // one vote per validator
    const Vote vote =
        precommit(chain_id, commit.height, commit.round, commit.block_hash, s.validator);
    if (!verify(s.validator, signing_bytes(vote), s.signature)) return false;
  }
  return signers.size() * 3 > validators.size() * 2;
}

}  // namespace pilemesh::ledger
