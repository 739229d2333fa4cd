// RecordingLogger: a hal::Logger that keeps every line, for tests that check what a driver
// logged.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/hal/driver_context.hpp"

namespace pilemesh::test {

class RecordingLogger : public hal::Logger {
 public:
  struct Line {
    hal::LogLevel level;
    std::string message;
  };

  void log(hal::LogLevel level, std::string_view message) noexcept override;

  // A copy of the lines so far, oldest first.
  std::vector<Line> lines() const;
  // True if some line at `level` or above contains `text`.
  bool contains(std::string_view text, hal::LogLevel level = hal::LogLevel::kTrace) const;
  void clear();

 private:
  // hal::Logger is safe from any thread.
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

}  // namespace pilemesh::test
