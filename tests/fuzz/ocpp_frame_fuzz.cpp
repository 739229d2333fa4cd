// Fuzzes what a charge point's bytes meet first: the OCPP-J frame parser (both versions'
// spellings) and, for a CALL, its schema check and meter value reading. Never a crash; a
// refusal always names a code and a reason; whatever parses writes back to a frame that parses
// to the same message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "meter_values.hpp"
#include "rpc_frame.hpp"
#include "schema_validator.hpp"

namespace {

using namespace pilemesh::ocpp;

std::string rewrite(const Frame& f) {
  if (auto* c = std::get_if<Call>(&f)) return write_call(*c);
  if (auto* r = std::get_if<CallResult>(&f)) return write_result(*r);
  return write_error(std::get<CallError>(f));
}

void check_call(const Call& call, SchemaValidator& schemas) {
  if (!schemas.knows(call.action, SchemaKind::kRequest)) return;
  if (auto failure = schemas.check(call.action, SchemaKind::kRequest, call.payload)) {
    if (failure->message.empty()) std::abort();
    return;
  }
  if (call.action == "MeterValues") {
    if (schemas.version() == "1.6") (void)read_meter_values_16(call.payload["meterValue"]);
    else (void)read_meter_values_201(call.payload["meterValue"]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static SchemaValidator v16("1.6");
  static SchemaValidator v201("2.0.1");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool is_v16 : {true, false}) {
    auto parsed = parse_frame(text, is_v16);
    if (auto* problem = std::get_if<FrameProblem>(&parsed)) {
      if (problem->message.empty()) std::abort();
      if (problem->code.empty() && !is_v16) std::abort();  // 2.0.1 names every problem
      continue;
    }
    const Frame& frame = std::get<Frame>(parsed);
    auto again = parse_frame(rewrite(frame), is_v16);
    if (!std::holds_alternative<Frame>(again)) std::abort();
    if (std::get<Frame>(again).index() != frame.index()) std::abort();
    if (auto* call = std::get_if<Call>(&frame)) check_call(*call, is_v16 ? v16 : v201);
  }
  return 0;
}
