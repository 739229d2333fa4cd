// FakeSettings: an in-memory hal::Settings a test fills by hand.
//
//   FakeSettings settings(kChargerSettings);  // every declared key at its default
//   settings.set_int("phases", 1).set_bool("ev_connected", true);
//
// Unlike the gateway it does not validate: a test may set out-of-range values on purpose to
// check that a driver refuses them. Getters follow the hal::Settings contract: a missing key or
// a key of another type reads as the type's zero value.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "pilemesh/hal/settings.hpp"

namespace pilemesh::test {

class FakeSettings : public hal::Settings {
 public:
  FakeSettings() = default;
  // Starts with the defaults of `specs`.
  explicit FakeSettings(std::span<const hal::SettingSpec> specs) { add_defaults(specs); }

  // Sets every key of `specs` to its declared default (overwriting values set before).
  void add_defaults(std::span<const hal::SettingSpec> specs);

  FakeSettings& set_bool(std::string_view key, bool value);
  FakeSettings& set_int(std::string_view key, std::int64_t value);
  FakeSettings& set_float(std::string_view key, double value);
  FakeSettings& set_string(std::string_view key, std::string value);
  void erase(std::string_view key);
  bool contains(std::string_view key) const;

  bool get_bool(std::string_view key) const override;
  std::int64_t get_int(std::string_view key) const override;
  double get_float(std::string_view key) const override;
  std::string get_string(std::string_view key) const override;

 private:
  using Value = std::variant<bool, std::int64_t, double, std::string>;
  template <class T>
  T get(std::string_view key) const;

  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace pilemesh::test
