// The committed ledger state as a read-only KvState: what queries and the service layer read
// service records through (ServiceReader), outside any block.
#pragma once

#include <stdexcept>

#include "pilemesh/ledger/kv_state.hpp"
#include "pilemesh/ledger/state_store.hpp"

namespace pilemesh::ledger {

class CommittedState final : public KvState {
 public:
  explicit CommittedState(const StateStore& state) : state_(state) {}
  std::optional<Bytes> get(const Bytes& key) const override { return state_.get(key); }
  void put(const Bytes&, Bytes) override {
    throw std::logic_error("the committed state is read-only");
  }
  void erase(const Bytes&) override { throw std::logic_error("the committed state is read-only"); }

 private:
  const StateStore& state_;
};

}  // namespace pilemesh::ledger
