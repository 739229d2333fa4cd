#include "schema_validator.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace pilemesh::ocpp {

std::string_view ocpp_error_code(PayloadError e, bool v16) {
  switch (e) {
    case PayloadError::kFormation:
      return v16 ? "FormationViolation" : "FormatViolation";
    case PayloadError::kPropertyConstraint:
      return "PropertyConstraintViolation";
    case PayloadError::kOccurrenceConstraint:
      return v16 ? "OccurenceConstraintViolation" : "OccurrenceConstraintViolation";
    case PayloadError::kTypeConstraint:
      return "TypeConstraintViolation";
  }
  return v16 ? "FormationViolation" : "FormatViolation";
}

namespace {

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

// valijson reports the deepest failure first; its wording names the constraint that failed.
PayloadError classify(const std::string& description) {
  if (starts_with(description, "Value type not permitted")) return PayloadError::kTypeConstraint;
  if (starts_with(description, "Missing required property") ||
      starts_with(description, "Array should contain") ||
      starts_with(description, "Object should have") ||
      starts_with(description, "Array contains more items"))
    return PayloadError::kOccurrenceConstraint;
  if (starts_with(description, "Object contains a property") ||
      starts_with(description, "Failed to validate against additional properties"))
    return PayloadError::kFormation;
  if (starts_with(description, "Failed to match against any enum") ||
      starts_with(description, "String should be") || starts_with(description, "Expected number") ||
      starts_with(description, "Failed to match regex") ||
      starts_with(description, "Value should be a multiple"))
    return PayloadError::kPropertyConstraint;
  return PayloadError::kFormation;
}

std::string path_of(const std::vector<std::string>& context) {
  // valijson's context starts with "<root>" and names properties as "[name]".
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string name = part;
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
      name = name.substr(1, name.size() - 2);
      if (!name.empty() && name.front() == '"' && name.back() == '"')
        name = name.substr(1, name.size() - 2);
      const bool index = !name.empty() && std::isdigit(static_cast<unsigned char>(name[0]));
      path += index ? "[" + name + "]" : (path.empty() ? "" : ".") + name;
    } else {
      path += (path.empty() ? "" : ".") + name;
    }
  }
  return path;
}

// The value at valijson's context path, or null.
const nlohmann::json* value_at(const nlohmann::json& root, const std::vector<std::string>& context) {
  const nlohmann::json* at = &root;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    if (part.size() < 2 || part.front() != '[' || part.back() != ']') return nullptr;
    std::string name = part.substr(1, part.size() - 2);
    if (!name.empty() && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    if (at->is_object()) {
      auto it = at->find(name);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      std::size_t index = 0;
      for (char c : name) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return nullptr;
        index = index * 10 + static_cast<std::size_t>(c - '0');
        if (index > 1000000) return nullptr;
      }
      if (name.empty() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

bool nearly_multiple(const nlohmann::json& payload, const std::vector<std::string>& context,
                     const std::string& description) {
  const nlohmann::json* v = value_at(payload, context);
  if (v == nullptr || !v->is_number()) return false;
  double divisor = 0;
  try {
    divisor = std::stod(description.substr(std::strlen("Value should be a multiple of ")));
  } catch (...) {
    return false;
  }
  if (!(divisor > 0)) return false;
  const double q = v->get<double>() / divisor;
  return std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
}

}  // namespace

struct SchemaValidator::Compiled {
  nlohmann::json document;
  valijson::Schema schema;
};

SchemaValidator::SchemaValidator(std::string version) : version_(std::move(version)) {}
SchemaValidator::~SchemaValidator() = default;

const EmbeddedSchema* SchemaValidator::find(std::string_view action, SchemaKind kind) const {
  for (std::size_t i = 0; i < kEmbeddedSchemaCount; ++i) {
    const EmbeddedSchema& s = kEmbeddedSchemas[i];
    if (s.kind == kind && version_ == s.version && action == s.action) return &s;
  }
  return nullptr;
}

bool SchemaValidator::knows(std::string_view action, SchemaKind kind) const {
  return find(action, kind) != nullptr;
}

std::optional<ValidationFailure> SchemaValidator::check(std::string_view action, SchemaKind kind,
                                                        const nlohmann::json& payload) {
  auto key = std::make_pair(std::string(action), kind);
  auto it = compiled_.find(key);
  if (it == compiled_.end()) {
    const EmbeddedSchema* embedded = find(action, kind);
    if (embedded == nullptr)
      return ValidationFailure{PayloadError::kFormation,
                               "no OCPP " + version_ + " schema for " + std::string(action)};
    auto compiled = std::make_unique<Compiled>();
    compiled->document = nlohmann::json::parse(embedded->text, embedded->text + embedded->size);
    valijson::SchemaParser parser(version_ == "1.6" ? valijson::SchemaParser::kDraft4
                                                    : valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(compiled->document);
    parser.populateSchema(adapter, compiled->schema);
    it = compiled_.emplace(std::move(key), std::move(compiled)).first;
  }
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(payload);
  try {
    if (validator.validate(it->second->schema, target, &results)) return std::nullopt;
  } catch (const std::exception& e) {
    // valijson throws on some wrong types (an object where a date-time string belongs).
    return ValidationFailure{PayloadError::kTypeConstraint, e.what()};
  }
  // valijson tests multipleOf with a remainder against machine epsilon, so 16.0 fails
  // "multipleOf": 0.1 (0.1 has no exact binary form). Such a failure within a relative 1e-9 is
  // no failure; the errors that only wrap it (the property or item holding it) go with it.
  std::optional<valijson::ValidationResults::Error> first;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    if (starts_with(e.description, "Value should be a multiple of ") &&
        nearly_multiple(payload, e.context, e.description))
      continue;
    if (starts_with(e.description, "Failed to validate against schema associated with property") ||
        starts_with(e.description, "Failed to validate item #") ||
        starts_with(e.description, "Failed to validate against child schema"))
      continue;
    first = e;
    break;
  }
  if (!first) return std::nullopt;
  const std::string path = path_of(first->context);
  return ValidationFailure{classify(first->description),
                           (path.empty() ? "" : path + ": ") + first->description};
}

}  // namespace pilemesh::ocpp
