// QR codes drawn as SVG for the page: the EPC transfer of a top-up and the printable code of
// each pile (whose text is the pile's page URL). Made here rather than in the browser so the
// page carries no QR library, and the same bytes always give the same picture.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pilemesh::api {

// Texts longer than this are refused: an EPC transfer is at most 331 bytes and a pile's URL far
// less, and the bound keeps the work per request small (no fuzz target is needed: the encoder
// only ever sees 1..1024 arbitrary bytes, which the unit tests cover at both ends).
inline constexpr std::size_t kMaxQrTextBytes = 1024;

// The QR code of `text` (8-bit mode, error correction level M, the smallest version that
// holds it) as an SVG document: a white square with a 4-module quiet zone and one <path> of
// the dark modules, its viewBox in modules and no width or height, so CSS sizes it, drawn with
// crisp edges. Nothing when the text is empty or longer than kMaxQrTextBytes.
std::optional<std::string> qr_svg(std::string_view text);

}  // namespace pilemesh::api
