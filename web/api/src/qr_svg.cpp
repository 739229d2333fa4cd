#include "qr_svg.hpp"

#include <fmt/format.h>
#include <qrencode.h>

#include <memory>

namespace pilemesh::api {
namespace {

// The light margin around the code that scanners need to find it (ISO/IEC 18004).
constexpr int kQuietZone = 4;

// The dark modules as one path: a rectangle per horizontal run of dark modules in each row,
// which keeps the document small (a version 10 code is a few kilobytes).
std::string dark_modules(const QRcode& code) {
  std::string d;
  const int width = code.width;
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code.data + static_cast<std::ptrdiff_t>(y) * width;
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {  // bit 0 is the module's colour; the other bits say what it is
        ++x;
        continue;
      }
      const int start = x;
      while (x < width && (row[x] & 1) != 0) ++x;
      fmt::format_to(std::back_inserter(d), "M{} {}h{}v1h-{}z", start + kQuietZone, y + kQuietZone,
                     x - start, x - start);
    }
  }
  return d;
}

}  // namespace

std::optional<std::string> qr_svg(std::string_view text) {
  if (text.empty() || text.size() > kMaxQrTextBytes) return std::nullopt;
  // 8-bit mode takes any bytes, NUL included; version 0 picks the smallest that holds them.
  const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) return std::nullopt;
  const int size = code->width + 2 * kQuietZone;
  // The white square is part of the picture: on a dark page a scanner still sees dark on light.
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" shape-rendering="crispEdges">)"
      R"(<rect width="{0}" height="{0}" fill="#fff"/><path fill="#000" d="{1}"/></svg>)",
      size, dark_modules(*code));
}

}  // namespace pilemesh::api
