// What the daemon needs from the operating system, in one place: logging sinks, systemd
// notifications, the data directory, and the process's own resource usage.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace pilemesh::gateway {

// Logs to stderr, or to the journal when started by systemd with stderr on the journal
// (JOURNAL_STREAM set), so that levels survive as journal priorities. Throws on a bad level.
void setup_logging(std::string_view level);

// sd_notify wrappers; no-ops when not run by systemd.
void notify_ready(std::string_view status);
void notify_stopping();
// Before the daemon starts itself again (execv): systemd waits for the next READY=1 instead of
// counting down its stop timeout.
void notify_reloading();
void notify_watchdog();
// The watchdog interval systemd expects pings within, or zero when no watchdog is set.
std::chrono::microseconds watchdog_interval();

// Creates the data directory (mode 0700) if missing and checks it is a writable directory.
// Returns "" or a message naming the directory and what is wrong.
std::string prepare_data_dir(const std::filesystem::path& dir);

struct ProcessUsage {
  std::uint64_t resident_bytes = 0;
  double cpu_seconds = 0;
  std::uint64_t open_fds = 0;
};
ProcessUsage process_usage();

// "2026-11-23T10:15:00Z"
std::string utc_timestamp(std::chrono::system_clock::time_point t);

}  // namespace pilemesh::gateway
