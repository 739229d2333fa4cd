// The rows of the state journal (table state_journal): the changes of one flush(), encoded as
// one blob, so that a block's state reaches the file as one appended row rather than as a
// thousand updates spread over the state table's pages. StateStore writes them into the table
// later, many blocks at a time, in key order (see state_store.hpp).
//
//   row    = u8 version (1) || u32 count || count × change       (integers big-endian)
//   change = u32 key length (1..256) || key || u8 kind (0 erase, 1 put)
//            || for a put: u32 value length (0..65536) || value
//
// Keys come in strictly increasing byte order (flush() writes an ordered map), so a set of
// changes has one encoding.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace pilemesh::ledger::state_journal {

using Bytes = std::vector<std::uint8_t>;
// Key → new value, or nullopt for an erase.
using Changes = std::map<Bytes, std::optional<Bytes>>;

Bytes encode(const Changes& changes);

// Applies one row's changes to `into` (a change replaces what `into` held for its key). Throws
// std::runtime_error naming the faulty field ("changes[3]: key: truncated ..."); `into` may
// then hold part of the row.
void decode_into(std::span<const std::uint8_t> row, Changes& into);

}  // namespace pilemesh::ledger::state_journal
