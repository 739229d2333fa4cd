// RawSettings: a device's `settings` table as parsed, with its positions in the file.
#pragma once

#include <toml++/toml.h>

#include <memory>
#include <utility>

#include "pilemesh/config/config.hpp"

namespace pilemesh::config {

class RawSettings {
 public:
  // `table` lives inside `document`; sharing the whole document keeps it alive without copying
  // (toml++ drops source positions when nodes are copied).
  RawSettings(std::shared_ptr<const toml::table> document, const toml::table* table)
      : document_(std::move(document)), table_(table) {}

  const toml::table& table() const { return *table_; }

 private:
  std::shared_ptr<const toml::table> document_;
  const toml::table* table_;
};

namespace detail {
// One shared empty table for devices without `settings`.
const toml::table& empty_table();
}  // namespace detail

}  // namespace pilemesh::config
