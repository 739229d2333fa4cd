// The readings inside OCPP meter values (1.6 MeterValues / StopTransaction transactionData, and
// 2.0.1's meterValue arrays): each sampled value with its measurand, phase, unit and multiplier
// turned into the SDK's integer units (Wh, W, mA, mV).
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace pilemesh::ocpp {

struct Readings {
  std::optional<std::int64_t> energy_wh;  // Energy.Active.Import.Register
  std::optional<std::int64_t> power_w;    // Power.Active.Import (the total, or the phases' sum)
  std::array<std::optional<std::int32_t>, 3> current_ma;  // Current.Import per phase
  std::array<std::optional<std::int32_t>, 3> voltage_mv;  // Voltage per phase (L-N)
  // Signed meter values exactly as the pile sent them (1.6 format "SignedData"; 2.0.1
  // signedMeterValue): kept for the session's record, never interpreted here.
  std::vector<std::string> signed_data;
  std::vector<std::string> problems;  // values that could not be read, for the log
};

// Reads an array of MeterValue objects ({timestamp, sampledValue: [...]}) as OCPP 1.6 sends
// them: value is a decimal string; unit defaults to Wh, measurand to
// Energy.Active.Import.Register. The latest value of each reading wins. REQUIRES: the array
// passed its schema.
Readings read_meter_values_16(const nlohmann::json& meter_values);

// The same for OCPP 2.0.1: value is a number, unitOfMeasure {unit, multiplier}, and a signed
// value is sampledValue.signedMeterValue.
Readings read_meter_values_201(const nlohmann::json& meter_values);

}  // namespace pilemesh::ocpp
