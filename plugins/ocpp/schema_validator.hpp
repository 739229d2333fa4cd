// Checks OCPP payloads against the official JSON schemas (valijson), and names a failure by the
// error code the OCPP-J specification gives it.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "schema_table.hpp"

namespace pilemesh::ocpp {

// The RPC error codes of OCPP-J for a payload that does not fit its schema. The names differ by
// version (1.6's "FormationViolation" and "OccurenceConstraintViolation" are spelled so in its
// specification); ocpp_error_code() gives the right word.
enum class PayloadError {
  kFormation,             // not the PDU's structure (unknown property, not an object)
  kPropertyConstraint,    // a field's value is not allowed (enum, length, range, pattern)
  kOccurrenceConstraint,  // a required field is missing, or too many or too few items
  kTypeConstraint,        // a field has the wrong type ("connectorId": "1")
};

std::string_view ocpp_error_code(PayloadError e, bool v16);

struct ValidationFailure {
  PayloadError error = PayloadError::kFormation;
  std::string message;  // "idTag: String should be no more than 20 characters."
};

// The schemas of one OCPP version ("1.6" or "2.0.1"), compiled on first use.
// Thread-safety: none; one per connection thread (the event loop).
class SchemaValidator {
 public:
  explicit SchemaValidator(std::string version);
  ~SchemaValidator();
  SchemaValidator(const SchemaValidator&) = delete;
  SchemaValidator& operator=(const SchemaValidator&) = delete;

  const std::string& version() const { return version_; }
  // Whether the version has a schema for `action` (the actions this gateway may be sent).
  bool knows(std::string_view action, SchemaKind kind) const;
  // nullopt when `payload` is valid; a failure otherwise. REQUIRES: knows(action, kind).
  std::optional<ValidationFailure> check(std::string_view action, SchemaKind kind,
                                         const nlohmann::json& payload);

 private:
  struct Compiled;
  const EmbeddedSchema* find(std::string_view action, SchemaKind kind) const;
  std::string version_;
  std::map<std::pair<std::string, SchemaKind>, std::unique_ptr<Compiled>> compiled_;
};

}  // namespace pilemesh::ocpp
