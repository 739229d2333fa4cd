// Collects configuration errors with their positions in the file.
#pragma once

#include <toml++/toml.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/config/config.hpp"

namespace pilemesh::config::detail {

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void add(const toml::source_region& where, std::string key_path, std::string message);
  // A problem without a position in the file (unreadable file, oversized text).
  void add_unpositioned(std::string message);
  // An unknown key of the table at `parent_path`, with "did you mean" among `allowed`.
  void unknown_key(const toml::key& key, std::string_view parent_path,
                   std::span<const std::string_view> allowed);

  bool empty() const { return errors_.empty(); }
  // Whether any error so far concerns `key_path` or something below it.
  bool has_error_under(std::string_view key_path) const;

  // All errors in file order. Tables are walked in key order, not file order, so they are
  // sorted here once (stable, so errors at the same spot keep the order they were found in).
  std::vector<ConfigError> take_sorted() &&;

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// "an integer", "a string", "a table", ... for "found ..." in messages.
std::string_view type_phrase(const toml::node& node);

}  // namespace pilemesh::config::detail
