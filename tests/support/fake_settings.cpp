#include "fake_settings.hpp"

#include <utility>

namespace pilemesh::test {

void FakeSettings::add_defaults(std::span<const hal::SettingSpec> specs) {
  for (const auto& spec : specs) {
    switch (spec.type) {
      case hal::SettingType::kBool:
        set_bool(spec.key, spec.bool_default);
        break;
      case hal::SettingType::kInteger:
        set_int(spec.key, spec.int_default);
        break;
      case hal::SettingType::kFloat:
        set_float(spec.key, spec.float_default);
        break;
      case hal::SettingType::kString:
        set_string(spec.key, spec.string_default ? spec.string_default : "");
        break;
    }
  }
}

FakeSettings& FakeSettings::set_bool(std::string_view key, bool value) {
  values_.insert_or_assign(std::string(key), Value(value));
  return *this;
}

FakeSettings& FakeSettings::set_int(std::string_view key, std::int64_t value) {
  values_.insert_or_assign(std::string(key), Value(value));
  return *this;
}

FakeSettings& FakeSettings::set_float(std::string_view key, double value) {
  values_.insert_or_assign(std::string(key), Value(value));
  return *this;
}

FakeSettings& FakeSettings::set_string(std::string_view key, std::string value) {
  values_.insert_or_assign(std::string(key), Value(std::move(value)));
  return *this;
}

void FakeSettings::erase(std::string_view key) {
  if (const auto it = values_.find(key); it != values_.end()) values_.erase(it);
}

bool FakeSettings::contains(std::string_view key) const {
  return values_.find(key) != values_.end();
}

template <class T>
T FakeSettings::get(std::string_view key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return T{};
  const T* value = std::get_if<T>(&it->second);
  return value ? *value : T{};
}

bool FakeSettings::get_bool(std::string_view key) const {
  return get<bool>(key);
}
std::int64_t FakeSettings::get_int(std::string_view key) const {
  return get<std::int64_t>(key);
}
double FakeSettings::get_float(std::string_view key) const {
  return get<double>(key);
}
std::string FakeSettings::get_string(std::string_view key) const {
  return get<std::string>(key);
}

}  // namespace pilemesh::test
