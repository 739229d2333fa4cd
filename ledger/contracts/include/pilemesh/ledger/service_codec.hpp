// The canonical encoding of the service's records and payloads (service_records.hpp,
// service_payloads.hpp): a version byte, then the fields in declaration order with the codec
// of codec.hpp. Every variable-size field and list has a limit, every enum a range, and a
// decoder refuses anything that is not exactly a canonical encoding.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>

#include "pilemesh/ledger/service_payloads.hpp"
#include "pilemesh/ledger/service_records.hpp"

namespace pilemesh::ledger {

// Defined for every record and payload type of the two headers above.
template <class T>
Bytes encode_service(const T& value);

// Nothing, with `error` naming the field ("connectors[2].type: unknown value 9"), when the
// bytes are not a canonical encoding of a T.
template <class T>
std::optional<T> decode_service(std::span<const std::uint8_t> bytes, std::string& error);

// The same fields as one flat JSON object, for the API and the CLI: hashes, keys and bytes as
// hex, enums as their numbers. Reading checks what the decoder checks, takes a missing field
// as its default and refuses unknown fields; `error` names the field.
template <class T>
nlohmann::json service_to_json(const T& value);
template <class T>
std::optional<T> service_from_json(const nlohmann::json& json, std::string& error);

}  // namespace pilemesh::ledger
