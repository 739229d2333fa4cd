#include "pilemesh/ledger/genesis.hpp"

#include "pilemesh/ledger/block.hpp"

namespace pilemesh::ledger {

Hash validators_hash(const std::vector<PublicKey>& validators) {
  Bytes bytes;
  bytes.reserve(validators.size() * 32);
  for (const auto& v : validators) bytes.insert(bytes.end(), v.bytes.begin(), v.bytes.end());
  return sha256(bytes);
}

Branch branch_of(std::uint16_t tx_type) {
  // By range: 10-19 identity, 20-29 charging, 30-39 evaluation, the rest (transfers, tariffs,
  // bookings, payments) market.
  if (tx_type >= 10 && tx_type < 20) return Branch::kIdentity;
  if (tx_type >= 20 && tx_type < 30) return Branch::kCharging;
  if (tx_type >= 30 && tx_type < 40) return Branch::kEvaluation;
  return Branch::kMarket;
}

}  // namespace pilemesh::ledger
