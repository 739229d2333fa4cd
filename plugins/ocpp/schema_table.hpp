// The official OCPP JSON schemas, embedded into the plugin at build time (embed_schemas.py).
#pragma once

#include <cstddef>

namespace pilemesh::ocpp {

enum class SchemaKind { kRequest, kResponse };

struct EmbeddedSchema {
  const char* version;  // "1.6" or "2.0.1"
  const char* action;   // "BootNotification"
  SchemaKind kind;
  const char* text;  // the schema file's bytes, unmodified (NUL-terminated)
  std::size_t size;
};

extern const EmbeddedSchema kEmbeddedSchemas[];
extern const std::size_t kEmbeddedSchemaCount;

}  // namespace pilemesh::ocpp
