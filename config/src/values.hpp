// Checks one value of the file against its KeySpec.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <string>

#include "diagnostics.hpp"
#include "schema.hpp"

namespace pilemesh::config::detail {

// The value of `node` for `spec`, or nullopt after reporting why it is not acceptable.
// Relative paths are resolved against `base_dir` (absolute).
std::optional<Value> check_value(const KeySpec& spec, const toml::node& node,
                                 const std::string& key_path, const std::filesystem::path& base_dir,
                                 Diagnostics& diagnostics);

// `path` made absolute against `base_dir` and normalised.
std::string resolve_path(std::string_view path, const std::filesystem::path& base_dir);

// The address and port of "<address>:<port>" or "[<IPv6>]:<port>"; nullopt when it is neither.
std::optional<std::pair<std::string, std::uint16_t>> split_listen(const std::string& text);

}  // namespace pilemesh::config::detail
