// Small helpers for the people-facing output of `pilemesh ledger`.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "pilemesh/ledger/hash.hpp"

namespace pilemesh::cli {

// "  label            value": labels in one column so that hashes line up.
inline void row(std::ostream& out, std::string_view label, const std::string& value,
                int indent = 2) {
  constexpr std::size_t kLabelWidth = 20;
  const std::size_t pad = label.size() < kLabelWidth ? kLabelWidth - label.size() : 1;
  out << std::string(static_cast<std::size_t>(indent), ' ') << label << std::string(pad, ' ')
      << value << "\n";
}

// A hash shortened for summaries; full hashes are in the detailed views and in --json.
inline std::string short_hex(const ledger::Hash& h) {
  return h.is_zero() ? "none" : h.hex().substr(0, 12);
}

inline std::string hash_or_none(const ledger::Hash& h) {
  return h.is_zero() ? "none" : h.hex();
}

// A JSON scalar as text: strings without their quotes.
inline std::string plain(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

inline const char* yes_no(bool b) {
  return b ? "yes" : "no";
}

}  // namespace pilemesh::cli
