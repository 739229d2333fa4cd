#include "pilemesh/gateway/system.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pilemesh::gateway {

void setup_logging(std::string_view level) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    throw std::invalid_argument("unknown log level \"" + std::string(level) + "\"");
  }
  std::shared_ptr<spdlog::logger> logger;
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    // The journal stamps time and unit itself; only the message goes in.
    auto sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("pilemeshd");
    logger = std::make_shared<spdlog::logger>("pilemeshd", sink);
    logger->set_pattern("%v");
  } else {
    logger = spdlog::stderr_color_mt("pilemeshd");
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::set_level(lvl);
}

void notify_ready(std::string_view status) {
  sd_notifyf(0, "READY=1\nSTATUS=%.*s", static_cast<int>(status.size()), status.data());
}

void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}

void notify_reloading() {
  sd_notify(0, "RELOADING=1");
}
void notify_watchdog() {
  sd_notify(0, "WATCHDOG=1");
}

std::chrono::microseconds watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) return std::chrono::microseconds(usec);
  return std::chrono::microseconds(0);
}

std::string prepare_data_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return "data directory " + dir.string() + ": cannot create it: " + ec.message();
    // Keys and the ledger will live here: only the gateway's user may read it.
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return "data directory " + dir.string() + ": cannot set mode 0700: " + ec.message();
  }
  if (!fs::is_directory(dir, ec)) {
    return "data directory " + dir.string() + ": exists but is not a directory";
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return "data directory " + dir.string() + ": not writable by this user";
  }
  return "";
}

ProcessUsage process_usage() {
  ProcessUsage usage;
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (statm >> size >> resident) {
    usage.resident_bytes = resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  }
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (std::getline(stat, line)) {
    // Fields after the command name, which is in parentheses and may contain spaces.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    std::uint64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    usage.cpu_seconds =
        static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++usage.open_fds;
  }
  return usage;
}

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace pilemesh::gateway
