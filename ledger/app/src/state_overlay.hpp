// Writes kept aside over the state, to be applied only if a transaction (or a whole check)
// succeeds — so a failing transaction changes nothing.
#pragma once

#include <map>
#include <optional>

#include "pilemesh/ledger/kv_state.hpp"
#include "pilemesh/ledger/state_store.hpp"

namespace pilemesh::ledger {

class StateOverlay final : public KvState {
 public:
  explicit StateOverlay(const StateStore& base) : base_(&base) {}
  explicit StateOverlay(const StateOverlay& parent, bool) : parent_(&parent) {}

  std::optional<Bytes> get(const Bytes& key) const override {
    if (auto it = writes_.find(key); it != writes_.end()) return it->second;
    return parent_ != nullptr ? parent_->get(key) : base_->get(key);
  }
  void put(const Bytes& key, Bytes value) override { writes_[key] = std::move(value); }
  void erase(const Bytes& key) override { writes_[key] = std::nullopt; }

  // Moves this overlay's writes into its parent overlay.
  void merge_into(StateOverlay& parent) {
    for (auto& [k, v] : writes_) parent.writes_[k] = std::move(v);
    writes_.clear();
  }
  // Writes everything into the state store, in key order.
  void apply(StateStore& state) {
    for (const auto& [k, v] : writes_) {
      if (v)
        state.put(k, *v);
      else
        state.erase(k);
    }
    writes_.clear();
  }

 private:
  const StateStore* base_ = nullptr;
  const StateOverlay* parent_ = nullptr;
  std::map<Bytes, std::optional<Bytes>> writes_;  // ordered: applied deterministically
};

}  // namespace pilemesh::ledger
