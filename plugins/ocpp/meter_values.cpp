#include "meter_values.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace pilemesh::ocpp {
namespace {

// The phase index of "L1", "L1-N" ... (0..2), or nullopt (no phase, "N", "L1-L2").
std::optional<int> phase_of(const nlohmann::json& sampled, bool voltage) {
  const std::string phase = sampled.value("phase", "");
  if (phase.empty()) return std::nullopt;
  static const char* kPhases[] = {"L1", "L2", "L3"};
  for (int i = 0; i < 3; ++i) {
    if (phase == kPhases[i] && !voltage) return i;
    if (phase == std::string(kPhases[i]) + "-N") return i;
  }
  return std::nullopt;
}

// How a value in the `base` unit's measurand must be scaled (1 or 1000 for the "k" unit), or
// nullopt for a unit that does not fit the measurand.
std::optional<double> unit_factor(const std::string& unit, const std::string& base) {
  if (unit == base) return 1.0;
  if (unit == "k" + base) return 1000.0;
  return std::nullopt;
}

// `value` times `factor` scaled by 10^multiplier, in the base unit times `base_scale` (1000 for
// mA), rounded to an integer; nullopt when it is not finite or beyond any real meter.
std::optional<std::int64_t> scaled(double value, double factor, int multiplier, double base_scale) {
  const double v = value * factor * std::pow(10.0, multiplier) * base_scale;
  if (!std::isfinite(v) || std::fabs(v) > 9.0e15) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(v));
}

struct Sample {
  double value = 0;
  std::string measurand, unit, phase_text, location;
  int multiplier = 0;
  bool is_signed = false;
  std::string signed_text;
};

// The power readings of one MeterValue (one instant): the total, or per phase.
struct InstantPower {
  std::optional<std::int64_t> total;
  std::array<std::optional<std::int64_t>, 3> phases;

  // The latest instant with power readings sets the power; its phases add up to the total when
  // it sent no total.
  void settle(Readings& out) const {
    if (total) {
      out.power_w = total;
      return;
    }
    std::optional<std::int64_t> sum;
    for (const auto& p : phases)
      if (p) sum = sum.value_or(0) + *p;
    if (sum) out.power_w = sum;
  }
};

void apply(const Sample& s, const nlohmann::json& sampled, Readings& out, InstantPower& power) {
  if (s.is_signed) {
    if (!s.signed_text.empty() && out.signed_data.size() < 16)
      out.signed_data.push_back(s.signed_text.substr(0, 8192));
    return;
  }
  // Readings at the EV or the inlet are not what the pile delivers to the car's account.
  if (!s.location.empty() && s.location != "Outlet") return;
  const std::string& m = s.measurand;
  auto problem = [&](const std::string& what) {
    if (out.problems.size() < 8) out.problems.push_back(m + ": " + what);
  };
  // The value in the SDK's unit (Wh, W, mA, mV), or nullopt with the problem noted.
  auto read = [&](const std::string& base, double base_scale) -> std::optional<std::int64_t> {
    const std::string unit = s.unit.empty() ? base : s.unit;
    const auto factor = unit_factor(unit, base);
    if (!factor) {
      problem("unit \"" + unit + "\" is not " + base + " or k" + base);
      return std::nullopt;
    }
    auto v = scaled(s.value, *factor, s.multiplier, base_scale);
    if (!v) problem("value out of range");
    return v;
  };
  // mA and mV fit the SDK's 32 bits for any real charger.
  auto read32 = [&](const std::string& base) -> std::optional<std::int32_t> {
    auto v = read(base, 1000);
    if (!v) return std::nullopt;
    if (*v > std::numeric_limits<std::int32_t>::max() || *v < 0) {
      problem("value out of range");
      return std::nullopt;
    }
    return static_cast<std::int32_t>(*v);
  };
  if (m == "Energy.Active.Import.Register") {
    if (!s.phase_text.empty() && s.phase_text != "N") return;  // the total register only
    if (auto wh = read("Wh", 1)) out.energy_wh = *wh;
  } else if (m == "Power.Active.Import") {
    auto w = read("W", 1);
    if (!w) return;
    if (auto p = phase_of(sampled, false)) power.phases[*p] = *w;
    else if (s.phase_text.empty()) power.total = *w;
  } else if (m == "Current.Import") {
    auto ma = read32("A");
    if (!ma) return;
    if (auto p = phase_of(sampled, false)) out.current_ma[*p] = *ma;
    else if (s.phase_text.empty()) out.current_ma[0] = *ma;  // a single-phase pile's current
  } else if (m == "Voltage") {
    auto mv = read32("V");
    if (!mv) return;
    if (auto p = phase_of(sampled, true)) out.voltage_mv[*p] = *mv;
    else if (s.phase_text.empty()) out.voltage_mv[0] = *mv;
  }
}

}  // namespace

Readings read_meter_values_16(const nlohmann::json& meter_values) {
  Readings out;
  for (const auto& mv : meter_values) {
    InstantPower power;
    for (const auto& sampled : mv.value("sampledValue", nlohmann::json::array())) {
      Sample s;
      s.measurand = sampled.value("measurand", "Energy.Active.Import.Register");
      s.unit = sampled.value("unit", "");
      s.phase_text = sampled.value("phase", "");
      s.location = sampled.value("location", "");
      const std::string text = sampled.value("value", "");
      if (sampled.value("format", "Raw") == "SignedData") {
        s.is_signed = true;
        s.signed_text = text;
      } else {
        const char* begin = text.data();
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(begin, end, s.value);
        if (ec != std::errc() || ptr != end) {
          if (out.problems.size() < 8)
            out.problems.push_back(s.measurand + ": \"" + text.substr(0, 32) + "\" is not a number");
          continue;
        }
      }
      apply(s, sampled, out, power);
    }
    power.settle(out);
  }
  return out;
}

Readings read_meter_values_201(const nlohmann::json& meter_values) {
  Readings out;
  for (const auto& mv : meter_values) {
    InstantPower power;
    for (const auto& sampled : mv.value("sampledValue", nlohmann::json::array())) {
      Sample s;
      s.measurand = sampled.value("measurand", "Energy.Active.Import.Register");
      s.phase_text = sampled.value("phase", "");
      s.location = sampled.value("location", "");
      if (sampled.contains("unitOfMeasure")) {
        s.unit = sampled["unitOfMeasure"].value("unit", "");
        s.multiplier = sampled["unitOfMeasure"].value("multiplier", 0);
      }
      if (!sampled.contains("value") || !sampled["value"].is_number()) continue;
      s.value = sampled["value"].get<double>();
      apply(s, sampled, out, power);
      if (sampled.contains("signedMeterValue")) {
        Sample signed_sample;
        signed_sample.is_signed = true;
        signed_sample.signed_text = sampled["signedMeterValue"].dump();
        apply(signed_sample, sampled, out, power);
      }
    }
    power.settle(out);
  }
  return out;
}

}  // namespace pilemesh::ocpp
