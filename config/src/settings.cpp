// resolve_settings: a device's raw settings checked against the keys its driver declares.
#include <algorithm>
#include <cmath>
#include <string>

#include "diagnostics.hpp"
#include "pilemesh/config/config.hpp"
#include "raw_settings.hpp"
#include "text.hpp"

namespace pilemesh::config {
namespace detail {

const toml::table& empty_table() {
  static const toml::table empty;
  return empty;
}

}  // namespace detail

namespace {

using hal::SettingSpec;
using hal::SettingType;

// What a declared key accepts, for "expected ..." in messages.
std::string expectation(const SettingSpec& spec) {
  switch (spec.type) {
    case SettingType::kBool:
      return "a boolean";
    case SettingType::kInteger:
      if (spec.int_min > spec.int_max) return "an integer";
      return "an integer in " + std::to_string(spec.int_min) + ".." + std::to_string(spec.int_max);
    case SettingType::kFloat:
      if (spec.float_min > spec.float_max) return "a number";
      return "a number in " + detail::format_float(spec.float_min) + ".." +
             detail::format_float(spec.float_max);
    case SettingType::kString:
      if (spec.string_choices != nullptr) return "one of " + std::string(spec.string_choices);
      return "a string";
  }
  return "a value";
}

ResolvedSettings::Value default_of(const SettingSpec& spec) {
  ResolvedSettings::Value value;
  value.key = spec.key;
  value.type = spec.type;
  value.b = spec.bool_default;
  value.i = spec.int_default;
  value.f = spec.float_default;
  value.s = spec.string_default != nullptr ? spec.string_default : "";
  return value;
}

// Overwrites `value` with the node's value if it fits `spec`; otherwise returns why not.
std::optional<std::string> take(const SettingSpec& spec, const toml::node& node,
                                ResolvedSettings::Value& value) {
  const auto wrong_type = [&] {
    return "expected " + expectation(spec) + ", found " + std::string(detail::type_phrase(node));
  };
  switch (spec.type) {
    case SettingType::kBool:
      if (!node.is_boolean()) return wrong_type();
      value.b = node.as_boolean()->get();
      return std::nullopt;
    case SettingType::kInteger: {
      if (!node.is_integer()) return wrong_type();
      const std::int64_t i = node.as_integer()->get();
      if (spec.int_min <= spec.int_max && (i < spec.int_min || i > spec.int_max)) {
        return "expected " + expectation(spec) + ", found " + std::to_string(i);
      }
      value.i = i;
      return std::nullopt;
    }
    case SettingType::kFloat: {
      // Integers are accepted where a float is declared: "battery_kwh = 60" is natural to write.
      double f = 0;
      if (const auto* integer = node.as_integer()) {
        f = static_cast<double>(integer->get());
      } else if (const auto* floating = node.as_floating_point()) {
        f = floating->get();
      } else {
        return wrong_type();
      }
      // Written as !(in range) so that nan is rejected too.
      if (spec.float_min <= spec.float_max && !(f >= spec.float_min && f <= spec.float_max)) {
        return "expected " + expectation(spec) + ", found " + detail::format_float(f);
      }
      value.f = f;
      return std::nullopt;
    }
    case SettingType::kString: {
      const auto* text = node.as_string();
      if (text == nullptr) return wrong_type();
      if (spec.string_choices != nullptr) {
        const auto choices = detail::split(spec.string_choices, '|');
        if (std::find(choices.begin(), choices.end(), text->get()) == choices.end()) {
          std::string message =
              "expected " + expectation(spec) + ", found " + detail::in_quotes(text->get());
          if (auto suggestion = detail::closest(text->get(), choices)) {
            message += "; did you mean " + detail::in_quotes(*suggestion) + "?";
          }
          return message;
        }
      }
      value.s = text->get();
      return std::nullopt;
    }
  }
  return wrong_type();
}

const ResolvedSettings::Value* find(const std::vector<ResolvedSettings::Value>& values,
                                    std::string_view key, SettingType type) {
  for (const auto& value : values) {
    if (value.key == key) return value.type == type ? &value : nullptr;
  }
  return nullptr;
}

}  // namespace

bool ResolvedSettings::get_bool(std::string_view key) const {
  const Value* value = find(values, key, SettingType::kBool);
  return value != nullptr && value->b;
}

std::int64_t ResolvedSettings::get_int(std::string_view key) const {
  const Value* value = find(values, key, SettingType::kInteger);
  return value != nullptr ? value->i : 0;
}

double ResolvedSettings::get_float(std::string_view key) const {
  const Value* value = find(values, key, SettingType::kFloat);
  return value != nullptr ? value->f : 0.0;
}

std::string ResolvedSettings::get_string(std::string_view key) const {
  const Value* value = find(values, key, SettingType::kString);
  return value != nullptr ? value->s : std::string();
}

std::shared_ptr<const RawSettings> empty_settings() {
  return std::make_shared<const RawSettings>(nullptr, &detail::empty_table());
}

std::vector<std::string> setting_keys(const RawSettings& settings) {
  std::vector<std::string> keys;
  for (auto&& [key, node] : settings.table()) keys.emplace_back(key.str());
  return keys;
}

SettingsResult resolve_settings(const DeviceConfig& device, std::span<const hal::SettingSpec> spec,
                                std::string_view source_file) {
  detail::Diagnostics diagnostics{std::string(source_file)};
  const toml::table& table = device.settings ? device.settings->table() : detail::empty_table();
  const std::string path = device.key_path.empty() ? "settings" : device.key_path + ".settings";

  std::vector<std::string_view> declared;
  for (const SettingSpec& s : spec) {
    if (s.key != nullptr) declared.emplace_back(s.key);
  }
  for (auto&& [key, node] : table) {
    if (std::find(declared.begin(), declared.end(), key.str()) != declared.end()) continue;
    if (declared.empty()) {
      diagnostics.add(key.source(), detail::join_path(path, key.str()),
                      "unknown key " + detail::in_quotes(key.str()) + "; driver " +
                          detail::in_quotes(device.driver) + " takes no settings");
    } else {
      diagnostics.unknown_key(key, path, declared);
    }
  }

  ResolvedSettings resolved;
  for (const SettingSpec& s : spec) {
    if (s.key == nullptr) continue;
    ResolvedSettings::Value value = default_of(s);
    if (const toml::node* node = table.get(s.key)) {
      if (auto problem = take(s, *node, value)) {
        diagnostics.add(node->source(), detail::join_path(path, s.key), std::move(*problem));
      }
    }
    resolved.values.push_back(std::move(value));
  }

  SettingsResult result;
  if (diagnostics.empty()) {
    result.settings = std::move(resolved);
  } else {
    result.errors = std::move(diagnostics).take_sorted();
  }
  return result;
}

}  // namespace pilemesh::config
