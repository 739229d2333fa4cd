// GET /api/v1/qr?text=<percent-encoded text>: the QR code the page shows for a text it already
// holds (the EPC transfer of a top-up, a pile's page URL), as an SVG (qr_svg.hpp). It reads
// nothing of the gateway's, so it answers everyone.
#include "pilemesh/api/api.hpp"
#include "qr_svg.hpp"

namespace pilemesh::api {
namespace {

web::Response qr(const web::Request& request) {
  const auto q = web::query_params(request.query);
  const auto it = q.find("text");
  if (it == q.end() || it->second.empty() || it->second.size() > kMaxQrTextBytes) {
    return web::json_error(422, "invalid_field",
                           "text: 1 to " + std::to_string(kMaxQrTextBytes) +
                               " bytes, percent-encoded (%2B for a plus sign)");
  }
  auto svg = qr_svg(it->second);
  if (!svg) return web::json_error(500, "internal", "the QR code could not be made; try again");
  web::Response r;
  r.content_type = "image/svg+xml";
  r.body = std::move(*svg);
  // The same text always gives the same picture.
  r.headers = {{"Cache-Control", "public, max-age=86400"}};
  return r;
}

}  // namespace

void register_qr_routes(web::Router& router) {
  router.add("GET", "/api/v1/qr", [](const web::Request& r) { return qr(r); });
}

}  // namespace pilemesh::api
