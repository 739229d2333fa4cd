// Small text helpers for error messages: "did you mean", quoting user text, lists.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pilemesh::config::detail {

// Levenshtein distance (insertions, deletions, substitutions).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a plausible typo.
std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates);

// `unknown key "prot"; did you mean "port"?`, or the list of allowed keys when none is close.
std::string unknown_key_message(std::string_view key, std::span<const std::string_view> allowed);

// `"text"` with control characters escaped and very long text shortened, so that whatever a
// file contains prints as one readable line.
std::string in_quotes(std::string_view text);

// Number of UTF-8 code points (the input is valid UTF-8: toml++ checks that).
std::size_t utf8_length(std::string_view text);

// "a|b|c" -> {"a", "b", "c"}.
std::vector<std::string_view> split(std::string_view text, char separator);

std::string join(std::span<const std::string_view> items, std::string_view separator);

// "key" under "parent": "web" + "port" -> "web.port"; "" + "web" -> "web".
std::string join_path(std::string_view parent, std::string_view key);

// Shortest round-trip form that still reads as a float: 60 -> "60.0", 0.5 -> "0.5".
std::string format_float(double value);

}  // namespace pilemesh::config::detail
