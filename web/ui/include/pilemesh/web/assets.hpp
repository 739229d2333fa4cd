// The web UI's files, compiled into the binary (web/ui/build_assets.py).
#pragma once

#include <span>
#include <string_view>

namespace pilemesh::web {

struct Asset {
  std::string_view path;          // "/index.html", "/assets/<content hash>/app.js"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view body;
  std::string_view gzip;           // the same body, gzip-compressed at build time
  std::string_view etag;           // quoted, ready for the ETag header: "\"3f2a...\""
  std::string_view cache_control;  // a year and immutable for hashed paths; the page: no-cache
};

// The asset served at `path`; "/" is "/index.html". nullptr when there is none.
const Asset* find_asset(std::string_view path);

// Every asset, for registering routes.
std::span<const Asset> all_assets();

}  // namespace pilemesh::web
