// The same field descriptions as field_io.hpp, to and from JSON for the API and the CLI: a
// record's fields become one flat object (hashes, keys and bytes as hex, enums as their
// numbers). Reading checks types, ranges, limits and enum values like the binary decoder, takes
// a missing field as its default, and refuses fields it does not know, so a typo is reported
// instead of ignored.
#pragma once

#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger::detail {

class JsonFieldWriter {
 public:
  explicit JsonFieldWriter(nlohmann::json& out) : out_(out) {}
  static constexpr bool kReading = false;

  template <class N>
  bool number(Field f, N& v) {
    out_[std::string(f.name)] = v;
    return true;
  }
  bool u8(Field f, std::uint8_t& v) { return number(f, v); }
  bool u16(Field f, std::uint16_t& v) { return number(f, v); }
  bool u32(Field f, std::uint32_t& v) { return number(f, v); }
  bool u64(Field f, std::uint64_t& v) { return number(f, v); }
  bool i64(Field f, std::int64_t& v) { return number(f, v); }
  bool i32(Field f, std::int32_t& v) { return number(f, v); }
  bool i8(Field f, std::int8_t& v) { return number(f, v); }
  bool boolean(Field f, bool& v) { return out_[std::string(f.name)] = v, true; }
  bool hash(Field f, Hash& h) { return out_[std::string(f.name)] = h.hex(), true; }
  bool key(Field f, PublicKey& k) { return out_[std::string(f.name)] = k.hex(), true; }
  bool signature(Field f, Signature& s) {
    return out_[std::string(f.name)] = to_hex(s.bytes), true;
  }
  bool string(Field f, std::string& s, std::size_t) { return out_[std::string(f.name)] = s, true; }
  bool bytes(Field f, Bytes& b, std::size_t) { return out_[std::string(f.name)] = to_hex(b), true; }
  template <class E>
  bool enum8(Field f, E& e, E, E) {
    out_[std::string(f.name)] = static_cast<int>(e);
    return true;
  }
  template <class V, class Each>
  bool list(Field f, std::vector<V>& items, std::size_t, std::size_t, Each each) {
    nlohmann::json array = nlohmann::json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      nlohmann::json item = nlohmann::json::object();
      JsonFieldWriter inner(item);
      each(inner, items[i], i);
      // A list of single values (keys, hashes) is written as plain values.
      array.push_back(item.size() == 1 && (item.contains("key") || item.contains("hash"))
                          ? item.begin().value()
                          : item);
    }
    out_[std::string(f.name)] = std::move(array);
    return true;
  }

 private:
  nlohmann::json& out_;
};

class JsonFieldReader {
 public:
  JsonFieldReader(const nlohmann::json& in, std::string& error, std::string prefix = {})
      : in_(in), error_(error), prefix_(std::move(prefix)) {}
  static constexpr bool kReading = true;

  template <class N>
  bool number(Field f, N& v) {
    const nlohmann::json* j = take(f);
    if (j == nullptr) return error_.empty();
    if (!j->is_number_integer()) return fail(f, "expected a whole number");
    if constexpr (std::is_signed_v<N>) {
      if (j->is_number_unsigned() &&
          j->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<N>::max()))
        return fail(f, "out of range");
      const auto x = j->get<std::int64_t>();
      if (x < std::numeric_limits<N>::min() || x > std::numeric_limits<N>::max())
        return fail(f, "out of range");
      v = static_cast<N>(x);
    } else {
      // nlohmann keeps integers written as signed as signed, even when they are positive.
      if (!j->is_number_unsigned() && j->get<std::int64_t>() < 0)
        return fail(f, "expected a whole number >= 0");
      const auto x = j->get<std::uint64_t>();
      if (x > std::numeric_limits<N>::max()) return fail(f, "out of range");
      v = static_cast<N>(x);
    }
    return true;
  }
  bool u8(Field f, std::uint8_t& v) { return number(f, v); }
  bool u16(Field f, std::uint16_t& v) { return number(f, v); }
  bool u32(Field f, std::uint32_t& v) { return number(f, v); }
  bool u64(Field f, std::uint64_t& v) { return number(f, v); }
  bool i64(Field f, std::int64_t& v) { return number(f, v); }
  bool i32(Field f, std::int32_t& v) { return number(f, v); }
  bool i8(Field f, std::int8_t& v) { return number(f, v); }
  bool boolean(Field f, bool& v) {
    const nlohmann::json* j = take(f);
    if (j == nullptr) return error_.empty();
    if (!j->is_boolean()) return fail(f, "expected true or false");
    v = j->get<bool>();
    return true;
  }
  bool hash(Field f, Hash& h) { return hex(f, h.bytes); }
  bool key(Field f, PublicKey& k) { return hex(f, k.bytes); }
  bool signature(Field f, Signature& s) { return hex(f, s.bytes); }
  bool string(Field f, std::string& s, std::size_t limit) {
    const nlohmann::json* j = take(f);
    if (j == nullptr) return error_.empty();
    if (!j->is_string()) return fail(f, "expected a string");
    s = j->get<std::string>();
    if (s.size() > limit) return fail(f, "longer than " + std::to_string(limit) + " bytes");
    return true;
  }
  bool bytes(Field f, Bytes& b, std::size_t limit) {
    const nlohmann::json* j = take(f);
    if (j == nullptr) return error_.empty();
    if (!j->is_string() || j->get<std::string>().size() % 2 != 0)
      return fail(f, "expected hex digits");
    const std::string text = j->get<std::string>();
    if (text.size() / 2 > limit) return fail(f, "longer than " + std::to_string(limit) + " bytes");
    b.assign(text.size() / 2, 0);
    if (!from_hex(text, b)) return fail(f, "expected hex digits");
    return true;
  }
  template <class E>
  bool enum8(Field f, E& e, E first, E last) {
    std::uint8_t u = static_cast<std::uint8_t>(e);
    if (!number(f, u)) return false;
    if (u < static_cast<std::uint8_t>(first) || u > static_cast<std::uint8_t>(last))
      return fail(f, "unknown value " + std::to_string(u));
    e = static_cast<E>(u);
    return true;
  }
  template <class V, class Each>
  bool list(Field f, std::vector<V>& items, std::size_t limit, std::size_t, Each each) {
    const nlohmann::json* j = take(f);
    if (j == nullptr) return error_.empty();
    if (!j->is_array()) return fail(f, "expected a list");
    if (j->size() > limit) return fail(f, "more than " + std::to_string(limit) + " items");
    items.assign(j->size(), V{});
    for (std::size_t i = 0; i < j->size(); ++i) {
      const std::string where = prefix_ + std::string(f.name) + "[" + std::to_string(i) + "].";
      const nlohmann::json& item = (*j)[i];
      // Plain values stand for single-field items (keys, hashes).
      const nlohmann::json wrapped =
          item.is_object() ? item : nlohmann::json{{"key", item}, {"hash", item}};
      JsonFieldReader inner(wrapped, error_, where);
      if (!each(inner, items[i], i)) return false;
      if (item.is_object() && !inner.finish()) return false;
    }
    return true;
  }

  // After fields(): fails on a field of the object that no description took.
  bool finish() {
    if (!error_.empty()) return false;
    if (!in_.is_object()) return fail("", "expected an object");
    for (const auto& [name, value] : in_.items()) {
      if (taken_.count(name) == 0) {
        error_ = prefix_ + name + ": unknown field";
        return false;
      }
    }
    return true;
  }

 private:
  const nlohmann::json* take(Field f) {
    if (!error_.empty() || !in_.is_object()) return nullptr;
    const std::string name(f.name);
    taken_.insert(name);
    auto it = in_.find(name);
    return it == in_.end() ? nullptr : &*it;
  }
  bool hex(Field f, std::span<std::uint8_t> out) {
    const nlohmann::json* j = take(f);
    if (j == nullptr) return error_.empty();
    if (!j->is_string() || !from_hex(j->get<std::string>(), out))
      return fail(f, "expected " + std::to_string(out.size() * 2) + " hex digits");
    return true;
  }
  bool fail(Field f, const std::string& reason) {
    if (error_.empty()) error_ = prefix_ + std::string(f.name) + ": " + reason;
    return false;
  }

  const nlohmann::json& in_;
  std::string& error_;
  std::string prefix_;
  std::set<std::string> taken_;
};

}  // namespace pilemesh::ledger::detail
