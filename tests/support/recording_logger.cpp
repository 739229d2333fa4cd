#include "recording_logger.hpp"

namespace pilemesh::test {

void RecordingLogger::log(hal::LogLevel level, std::string_view message) noexcept {
  try {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, std::string(message)});
  } catch (...) {
    // Out of memory while recording a test's log: dropping the line is all we can do.
  }
}

std::vector<RecordingLogger::Line> RecordingLogger::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

bool RecordingLogger::contains(std::string_view text, hal::LogLevel level) const {
  std::lock_guard lock(mutex_);
  for (const auto& line : lines_) {
    if (line.level >= level && line.message.find(text) != std::string::npos) return true;
  }
  return false;
}

void RecordingLogger::clear() {
  std::lock_guard lock(mutex_);
  lines_.clear();
}

}  // namespace pilemesh::test
