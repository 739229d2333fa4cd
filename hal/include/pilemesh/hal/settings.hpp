// pilemesh plugin SDK — a driver's settings: declared by the driver, validated by the gateway.
//
// A driver factory declares the keys it accepts as a table of SettingSpec (type, default,
// bounds, one-line description). The gateway validates the device's `settings` table from the
// configuration against that table before the driver is created: unknown keys, wrong types and
// out-of-range values are reported to the user with file:line, and defaults are filled in. So a
// driver reads its settings through Settings without checking them again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pilemesh::hal {

enum class SettingType { kBool, kInteger, kFloat, kString };

// One key of a driver's settings. Build it with the constexpr helpers below, e.g.
//   SettingSpec::integer("unit_id", 1, 1, 247, "Modbus unit id of the meter")
struct SettingSpec {
  const char* key;
  SettingType type;
  const char* description;
  std::int64_t int_default = 0, int_min = 0, int_max = 0;
  double float_default = 0, float_min = 0, float_max = 0;
  bool bool_default = false;
  const char* string_default = "";
  // For kString: the allowed values separated by '|' ("none|comm_loss|faulted"), or nullptr
  // for any string.
  const char* string_choices = nullptr;

  static constexpr SettingSpec boolean(const char* key, bool def, const char* description) {
    SettingSpec s{key, SettingType::kBool, description};
    s.bool_default = def;
    return s;
  }
  static constexpr SettingSpec integer(const char* key, std::int64_t def, std::int64_t min,
                                       std::int64_t max, const char* description) {
    SettingSpec s{key, SettingType::kInteger, description};
    s.int_default = def, s.int_min = min, s.int_max = max;
    return s;
  }
  static constexpr SettingSpec real(const char* key, double def, double min, double max,
                                    const char* description) {
    SettingSpec s{key, SettingType::kFloat, description};
    s.float_default = def, s.float_min = min, s.float_max = max;
    return s;
  }
  static constexpr SettingSpec string(const char* key, const char* def, const char* description,
                                      const char* choices = nullptr) {
    SettingSpec s{key, SettingType::kString, description};
    s.string_default = def, s.string_choices = choices;
    return s;
  }
};

// Read access to a device's validated settings.
//
// Every key the driver declared has a value (the configured one or the declared default) of the
// declared type. REQUIRES: `key` is declared with the type of the getter called; otherwise the
// getter returns the type's zero value ("", 0, false).
// Thread-safety: immutable; safe to read from any thread.
class Settings {
 public:
  virtual ~Settings() = default;
  virtual bool get_bool(std::string_view key) const = 0;
  virtual std::int64_t get_int(std::string_view key) const = 0;
  virtual double get_float(std::string_view key) const = 0;
  virtual std::string get_string(std::string_view key) const = 0;
};

}  // namespace pilemesh::hal
