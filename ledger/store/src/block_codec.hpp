// Reading stored encodings back: a row that no longer decodes means a damaged file, reported
// as a StoreError that names the file and the row.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger::detail {

template <class T>
T decoded_or_throw(Decoded<T> decoded, const store::Database& db, const std::string& what) {
  if (auto* error = std::get_if<DecodeError>(&decoded)) {
    throw store::StoreError(db.path().filename().string() + ": " + what + " does not decode (" +
                            error->reason + "); the file is damaged");
  }
  return std::get<T>(std::move(decoded));
}

inline Hash hash_from_blob(const Bytes& blob) {
  Hash h;
  if (blob.size() == h.bytes.size()) std::copy(blob.begin(), blob.end(), h.bytes.begin());
  return h;
}

}  // namespace pilemesh::ledger::detail
