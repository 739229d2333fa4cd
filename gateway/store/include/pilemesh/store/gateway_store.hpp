// The gateway's own database, gateway.db in the data directory: its schema and the few records
// the daemon keeps (a boot log). Written only at start and at clean shutdown, so an idle gateway
// does not wear the SD card.
#pragma once

#include <filesystem>
#include <string>

#include "pilemesh/store/database.hpp"

namespace pilemesh::store {

class GatewayStore {
 public:
  // Opens or creates <data_dir>/gateway.db and applies pending migrations. Throws StoreError.
  static GatewayStore open(const std::filesystem::path& data_dir);

  // Records a start of the daemon; returns how many starts came before it.
  std::int64_t record_boot(std::string_view version, std::string_view started_at_utc);
  // Marks the current boot as ended cleanly (drivers stopped, nothing pending).
  void record_clean_shutdown(std::string_view stopped_at_utc);
  // Whether the boot before this one ended cleanly (false after a crash or power cut).
  bool previous_boot_was_clean() const { return previous_clean_; }

  Database& db() { return db_; }

 private:
  explicit GatewayStore(Database db) : db_(std::move(db)) {}
  Database db_;
  std::int64_t boot_id_ = 0;
  bool previous_clean_ = true;
};

}  // namespace pilemesh::store
