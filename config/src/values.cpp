#include "values.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "text.hpp"

namespace pilemesh::config::detail {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_name_char);
}

std::string range_text(const KeySpec& spec) {
  return std::to_string(spec.min) + ".." + std::to_string(spec.max);
}

// What the key accepts, for "expected ..." in messages.
std::string expectation(const KeySpec& spec) {
  switch (spec.kind) {
    case Kind::kString:
      return "a string of " + range_text(spec) + " characters";
    case Kind::kChoice:
      return "one of " + std::string(spec.choices);
    case Kind::kAddress:
      return "an IPv4 or IPv6 address";
    case Kind::kListen:
      return "\"<address>:<port>\" (\"0.0.0.0:8887\", \"[::]:8887\") or \"off\"";
    case Kind::kPath:
      return "a non-empty path";
    case Kind::kPathList:
      return "an array of paths";
    case Kind::kInteger:
      return "an integer in " + range_text(spec);
    case Kind::kDeviceId:
      return "an id of " + range_text(spec) + " characters from [a-z0-9_-]";
    case Kind::kGeohash:
      return "a geohash of " + range_text(spec) + " characters (0-9 and b-z without i, l, o)";
    case Kind::kIban:
      return "an IBAN such as \"DE89 3704 0044 0532 0130 00\" (its check digits must match)";
    case Kind::kDriver:
      return "\"<plugin>/<factory>\" with each part made of [a-z0-9_-]";
    case Kind::kTable:
      return "a table";
  }
  return "";
}

// Upper case without spaces when `text` is an IBAN: 2 letters, 2 check digits, 11 to 30
// letters or digits, and the ISO 7064 mod-97 check equal to 1.
std::optional<std::string> normalized_iban(const std::string& text) {
  std::string iban;
  for (char c : text) {
    if (c == ' ') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return std::nullopt;
    iban += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (iban.size() < 15 || iban.size() > 34 || !std::isalpha(static_cast<unsigned char>(iban[0])) ||
      !std::isalpha(static_cast<unsigned char>(iban[1])) ||
      !std::isdigit(static_cast<unsigned char>(iban[2])) ||
      !std::isdigit(static_cast<unsigned char>(iban[3]))) {
    return std::nullopt;
  }
  const std::string rotated = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rotated) {
    const int value = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'A' + 10;
    remainder = (value >= 10 ? remainder * 100 : remainder * 10) + value;
    remainder %= 97;
  }
  if (remainder != 1) return std::nullopt;
  return iban;
}

bool is_address(const std::string& text) {
  // inet_pton reads a C string: an embedded NUL would hide whatever follows it.
  if (text.find('\0') != std::string::npos) return false;
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

}  // namespace

std::optional<std::pair<std::string, std::uint16_t>> split_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 >= text.size() || text.size() - colon > 6)
    return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (host.find(':') == std::string::npos) return std::nullopt;
  } else if (host.find(':') != std::string::npos) {
    return std::nullopt;  // an IPv6 address needs its brackets
  }
  if (!is_address(host)) return std::nullopt;
  int port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return std::nullopt;
  return std::pair{host, static_cast<std::uint16_t>(port)};
}

namespace {

bool is_path(std::string_view text) {
  return !text.empty() && text.find('\0') == std::string_view::npos;
}

// Checks a string value; returns the (possibly resolved) text or an error message.
std::optional<std::string> check_string(const KeySpec& spec, const std::string& text,
                                        const std::filesystem::path& base_dir,
                                        std::string& message) {
  const auto fail = [&](std::string found) -> std::optional<std::string> {
    message = "expected " + expectation(spec) + ", found " + std::move(found);
    return std::nullopt;
  };
  switch (spec.kind) {
    case Kind::kString: {
      const auto length = static_cast<std::int64_t>(utf8_length(text));
      if (length < spec.min || length > spec.max) {
        return fail(text.empty() ? "an empty string" : std::to_string(length) + " characters");
      }
      return text;
    }
    case Kind::kChoice: {
      const auto choices = split(spec.choices, '|');
      if (std::find(choices.begin(), choices.end(), text) != choices.end()) return text;
      fail(in_quotes(text));
      if (auto suggestion = closest(text, choices)) {
        message += "; did you mean " + in_quotes(*suggestion) + "?";
      }
      return std::nullopt;
    }
    case Kind::kAddress:
      if (!is_address(text)) return fail(in_quotes(text));
      return text;
    case Kind::kListen:
      if (text != "off" && !split_listen(text)) return fail(in_quotes(text));
      return text;
    case Kind::kPath:
    case Kind::kPathList:
      if (!is_path(text)) {
        // Also used for the elements of a kPathList, so name a single path here.
        message = "expected a non-empty path, found " +
                  (text.empty() ? std::string("an empty string") : in_quotes(text));
        return std::nullopt;
      }
      return resolve_path(text, base_dir);
    case Kind::kDeviceId: {
      const auto length = static_cast<std::int64_t>(text.size());
      if (!is_name(text) || length < spec.min || length > spec.max) return fail(in_quotes(text));
      return text;
    }
    case Kind::kGeohash: {
      const auto length = static_cast<std::int64_t>(text.size());
      const bool alphabet = std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'b' && c <= 'z' && c != 'i' && c != 'l' && c != 'o');
      });
      if (!alphabet || length < spec.min || length > spec.max) return fail(in_quotes(text));
      return text;
    }
    case Kind::kIban: {
      auto iban = normalized_iban(text);
      if (!iban) return fail(in_quotes(text));
      return *iban;
    }
    case Kind::kDriver: {
      const std::size_t slash = text.find('/');
      if (slash == std::string::npos || !is_name(std::string_view(text).substr(0, slash)) ||
          !is_name(std::string_view(text).substr(slash + 1))) {
        return fail(in_quotes(text));
      }
      return text;
    }
    case Kind::kInteger:
    case Kind::kTable:
      break;
  }
  return text;
}

}  // namespace

std::string resolve_path(std::string_view path, const std::filesystem::path& base_dir) {
  std::filesystem::path resolved(path);
  if (resolved.is_relative()) resolved = base_dir / resolved;
  return resolved.lexically_normal().string();
}

std::optional<Value> check_value(const KeySpec& spec, const toml::node& node,
                                 const std::string& key_path, const std::filesystem::path& base_dir,
                                 Diagnostics& diagnostics) {
  const auto wrong_type = [&]() -> std::optional<Value> {
    diagnostics.add(node.source(), key_path,
                    "expected " + expectation(spec) + ", found " + std::string(type_phrase(node)));
    return std::nullopt;
  };
  Value value;
  switch (spec.kind) {
    case Kind::kInteger: {
      const auto* integer = node.as_integer();
      if (integer == nullptr) return wrong_type();
      value.integer = integer->get();
      if (value.integer < spec.min || value.integer > spec.max) {
        diagnostics.add(
            node.source(), key_path,
            "expected " + expectation(spec) + ", found " + std::to_string(value.integer));
        return std::nullopt;
      }
      return value;
    }
    case Kind::kTable:
      if (!node.is_table()) return wrong_type();
      return value;
    case Kind::kPathList: {
      const auto* array = node.as_array();
      if (array == nullptr) return wrong_type();
      bool ok = true;
      for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        const std::string element_path = key_path + "[" + std::to_string(i) + "]";
        const auto* text = element.as_string();
        std::string message;
        if (text == nullptr) {
          diagnostics.add(element.source(), element_path,
                          "expected a path, found " + std::string(type_phrase(element)));
          ok = false;
        } else if (auto path = check_string(spec, text->get(), base_dir, message)) {
          value.list.push_back(std::move(*path));
        } else {
          diagnostics.add(element.source(), element_path, std::move(message));
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return value;
    }
    default: {
      const auto* text = node.as_string();
      if (text == nullptr) return wrong_type();
      std::string message;
      auto checked = check_string(spec, text->get(), base_dir, message);
      if (!checked) {
        diagnostics.add(node.source(), key_path, std::move(message));
        return std::nullopt;
      }
      value.text = std::move(*checked);
      return value;
    }
  }
}

}  // namespace pilemesh::config::detail
