// Helpers shared by the configuration tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/config/config.hpp"

namespace pilemesh::config::config_test {

// Every error of a load as "file:line:col: key: message".
inline std::vector<std::string> error_lines(const std::vector<ConfigError>& errors) {
  std::vector<std::string> lines;
  for (const ConfigError& error : errors) lines.push_back(error.to_string());
  return lines;
}

// Loads `text` as "t.toml" with relative paths resolving against /etc/pilemesh.
inline LoadResult load(std::string_view text) {
  return load_string(text, "t.toml", "/etc/pilemesh");
}

inline std::vector<std::string> errors_of(std::string_view text) {
  return error_lines(load(text).errors);
}

}  // namespace pilemesh::config::config_test
