// Validation of a parsed document against the schema, table by table.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <memory>

#include "diagnostics.hpp"
#include "pilemesh/config/config.hpp"

namespace pilemesh::config::detail {

// Fills `config` from `document` (defaults for what is absent) and reports every problem.
void check_document(const std::shared_ptr<const toml::table>& document,
                    const std::filesystem::path& base_dir, Config& config,
                    Diagnostics& diagnostics);

}  // namespace pilemesh::config::detail
