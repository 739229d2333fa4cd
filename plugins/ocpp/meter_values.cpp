#include "meter_values.hpp"

#include <charconv>
#include <cmath>

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

// `value` in `unit` scaled by 10^multiplier, in the base unit times `base_scale` (1000 for mA),
// rounded to an integer; nullopt for a unit that does not fit the measurand.
std::optional<std::int64_t> scaled(double value, const std::string& unit, int multiplier,
                                   const std::string& base, double base_scale) {
  double factor = 0;
  if (unit == base) factor = 1;
  else if (unit == "k" + base) factor = 1000;
  else return std::nullopt;
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

void apply(const Sample& s, const nlohmann::json& sampled, Readings& out) {
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
  if (m == "Energy.Active.Import.Register") {
    if (s.phase_text.empty() || s.phase_text == "N") {
      if (auto wh = scaled(s.value, s.unit.empty() ? "Wh" : s.unit, s.multiplier, "Wh", 1))
        out.energy_wh = *wh;
      else
        problem("unit \"" + s.unit + "\" is not Wh or kWh");
    }
  } else if (m == "Power.Active.Import") {
    auto w = scaled(s.value, s.unit.empty() ? "W" : s.unit, s.multiplier, "W", 1);
    if (!w) return problem("unit \"" + s.unit + "\" is not W or kW");
    if (phase_of(sampled, false))
      out.power_w = out.power_w.value_or(0) + *w;  // the phases add up to the total
    else
      out.power_w = *w;
  } else if (m == "Current.Import") {
    auto ma = scaled(s.value, s.unit.empty() ? "A" : s.unit, s.multiplier, "A", 1000);
    if (!ma) return problem("unit \"" + s.unit + "\" is not A");
    if (auto p = phase_of(sampled, false)) out.current_ma[*p] = static_cast<std::int32_t>(*ma);
    else out.current_ma[0] = static_cast<std::int32_t>(*ma);
  } else if (m == "Voltage") {
    auto mv = scaled(s.value, s.unit.empty() ? "V" : s.unit, s.multiplier, "V", 1000);
    if (!mv) return problem("unit \"" + s.unit + "\" is not V");
    if (auto p = phase_of(sampled, true)) out.voltage_mv[*p] = static_cast<std::int32_t>(*mv);
    else if (s.phase_text.empty()) out.voltage_mv[0] = static_cast<std::int32_t>(*mv);
  }
}

}  // namespace

Readings read_meter_values_16(const nlohmann::json& meter_values) {
  Readings out;
  for (const auto& mv : meter_values) {
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
      apply(s, sampled, out);
    }
  }
  return out;
}

Readings read_meter_values_201(const nlohmann::json& meter_values) {
  Readings out;
  for (const auto& mv : meter_values) {
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
      apply(s, sampled, out);
      if (sampled.contains("signedMeterValue")) {
        Sample signed_sample;
        signed_sample.is_signed = true;
        signed_sample.signed_text = sampled["signedMeterValue"].dump();
        apply(signed_sample, sampled, out);
      }
    }
  }
  return out;
}

}  // namespace pilemesh::ocpp
