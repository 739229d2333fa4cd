// The simulated piles alive in this process, so the simulated house meter can add their load
// the way a real grid meter sees every pile behind it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "house_model.hpp"

namespace pilemesh::simulator {

class PileRegistry {
 public:
  // A pile's membership; leaves the registry when destroyed.
  class Entry {
   public:
    Entry() = default;
    Entry(Entry&& other) noexcept;
    Entry& operator=(Entry&& other) noexcept;
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    ~Entry();

    // Sets the load this pile draws now.
    void publish(const PhaseLoad& load) noexcept;

   private:
    friend class PileRegistry;
    Entry(PileRegistry* registry, std::uint64_t id) noexcept : registry_(registry), id_(id) {}
    void leave() noexcept;

    PileRegistry* registry_ = nullptr;
    std::uint64_t id_ = 0;
  };

  // The registry shared by every driver of this plugin in the process.
  static PileRegistry& instance() noexcept;

  Entry join();
  // The summed load of all piles, per phase.
  PhaseLoad total() const noexcept;
  std::size_t size() const noexcept;

 private:
  // Drivers may live on different event loops in one process (several gateways in a test).
  mutable std::mutex mutex_;
  std::map<std::uint64_t, PhaseLoad> loads_;
  std::uint64_t next_id_ = 1;
};

}  // namespace pilemesh::simulator
