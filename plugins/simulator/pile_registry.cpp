#include "pile_registry.hpp"

#include <utility>

namespace pilemesh::simulator {

PileRegistry::Entry::Entry(Entry&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(std::exchange(other.id_, 0)) {}

PileRegistry::Entry& PileRegistry::Entry::operator=(Entry&& other) noexcept {
  if (this != &other) {
    leave();
    registry_ = std::exchange(other.registry_, nullptr);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

PileRegistry::Entry::~Entry() {
  leave();
}

void PileRegistry::Entry::publish(const PhaseLoad& load) noexcept {
  if (registry_ == nullptr) return;
  std::lock_guard lock(registry_->mutex_);
  const auto it = registry_->loads_.find(id_);
  if (it != registry_->loads_.end()) it->second = load;
}

void PileRegistry::Entry::leave() noexcept {
  if (registry_ == nullptr) return;
  std::lock_guard lock(registry_->mutex_);
  registry_->loads_.erase(id_);
  registry_ = nullptr;
}

PileRegistry& PileRegistry::instance() noexcept {
  static PileRegistry registry;
  return registry;
}

PileRegistry::Entry PileRegistry::join() {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  loads_.emplace(id, PhaseLoad{});
  return Entry(this, id);
}

PhaseLoad PileRegistry::total() const noexcept {
  std::lock_guard lock(mutex_);
  PhaseLoad sum{};
  for (const auto& [id, load] : loads_) {
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += load[i];
  }
  return sum;
}

std::size_t PileRegistry::size() const noexcept {
  std::lock_guard lock(mutex_);
  return loads_.size();
}

}  // namespace pilemesh::simulator
