#include "diagnostics.hpp"

#include <algorithm>
#include <utility>

#include "text.hpp"

namespace pilemesh::config::detail {

void Diagnostics::add(const toml::source_region& where, std::string key_path, std::string message) {
  errors_.push_back(ConfigError{file_, static_cast<int>(where.begin.line),
                                static_cast<int>(where.begin.column), std::move(key_path),
                                std::move(message)});
}

void Diagnostics::add_unpositioned(std::string message) {
  errors_.push_back(ConfigError{file_, 0, 0, "", std::move(message)});
}

void Diagnostics::unknown_key(const toml::key& key, std::string_view parent_path,
                              std::span<const std::string_view> allowed) {
  add(key.source(), join_path(parent_path, key.str()), unknown_key_message(key.str(), allowed));
}

bool Diagnostics::has_error_under(std::string_view key_path) const {
  return std::any_of(errors_.begin(), errors_.end(), [&](const ConfigError& e) {
    std::string_view path = e.key_path;
    return path.starts_with(key_path) &&
           (path.size() == key_path.size() || path[key_path.size()] == '.' ||
            path[key_path.size()] == '[');
  });
}

std::vector<ConfigError> Diagnostics::take_sorted() && {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return std::move(errors_);
}

std::string_view type_phrase(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace pilemesh::config::detail
