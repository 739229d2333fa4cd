// QR codes as SVG (qr_svg.hpp) and GET /api/v1/qr: the document's shape without decoding it —
// one path, the quiet zone, the size of the version the text needs — and the refusals.
#include "qr_svg.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "pilemesh/api/api.hpp"

namespace pilemesh::api {
namespace {

int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

// The side of the picture in modules, from "viewBox="0 0 N N"", or -1.
int side(const std::string& svg) {
  std::smatch m;
  if (!std::regex_search(svg, m, std::regex(R"re(viewBox="0 0 (\d+) (\d+)")re")) || m[1] != m[2])
    return -1;
  return std::stoi(m[1]);
}

// Every rectangle of the path ("M x y h w v1 h -w z") lies inside the code, off the quiet zone.
void expect_runs_inside_quiet_zone(const std::string& svg) {
  // Found by hand: std::regex recurses per character and would overflow on a long path.
  const std::string open = R"(<path fill="#000" d=")";
  const auto from = svg.find(open);
  ASSERT_NE(from, std::string::npos);
  const auto to = svg.find('"', from + open.size());
  ASSERT_EQ(svg.compare(to, 3, "\"/>"), 0);
  const std::string path = svg.substr(from + open.size(), to - from - open.size());
  const int n = side(svg);
  const std::regex run(R"re(M(\d+) (\d+)h(\d+)v1h-(\d+)z)re");
  std::size_t covered = 0, runs = 0;
  for (auto it = std::sregex_iterator(path.begin(), path.end(), run); it != std::sregex_iterator();
       ++it, ++runs) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), w = std::stoi((*it)[3]);
    EXPECT_EQ((*it)[3], (*it)[4]);
    EXPECT_GE(x, 4);
    EXPECT_GE(y, 4);
    EXPECT_LE(x + w, n - 4);
    EXPECT_LT(y, n - 4);
    covered += static_cast<std::size_t>(it->length());
  }
  EXPECT_GT(runs, 0u);
  EXPECT_EQ(covered, path.size()) << "the path holds nothing but runs";
}

TEST(QrSvg, AShortTextIsVersionOneInAWellFormedSvg) {
  const auto svg = qr_svg("pilemesh drive");
  ASSERT_TRUE(svg.has_value());
  EXPECT_TRUE(svg->starts_with(R"(<svg xmlns="http://www.w3.org/2000/svg" )"));
  EXPECT_TRUE(svg->ends_with("</svg>"));
  EXPECT_EQ(count(*svg, "<svg"), 1);
  EXPECT_EQ(count(*svg, "<path"), 1);
  EXPECT_EQ(count(*svg, "<"), count(*svg, ">"));
  EXPECT_EQ(count(*svg, "\""), 2 * count(*svg, "=")) << "every attribute quoted";
  EXPECT_NE(svg->find(R"(shape-rendering="crispEdges")"), std::string::npos);
  // Sized by CSS: the root element has no width or height of its own.
  const std::string root = svg->substr(0, svg->find('>'));
  EXPECT_EQ(root.find("width"), std::string::npos);
  EXPECT_EQ(root.find("height"), std::string::npos);
  // 14 bytes at level M fit version 1 (21 modules), with 4 on each side; 28 need version 3.
  EXPECT_EQ(side(*svg), 21 + 8);
  EXPECT_EQ(side(*qr_svg("https://pile.example/p/drive")), 29 + 8);
  expect_runs_inside_quiet_zone(*svg);
}

TEST(QrSvg, ALongerTextNeedsABiggerCode) {
  const std::string epc =
      "BCD\n002\n1\nSCT\nGENODEF1M04\nLindenstrasse Ladegemeinschaft\nDE02100100109307118603\n"
      "EUR50.00\n\n\nPILEMESH 0123456789abcdef";
  const int small = side(*qr_svg("x")), medium = side(*qr_svg(epc)),
            large = side(*qr_svg(std::string(kMaxQrTextBytes, 'q')));
  EXPECT_EQ(small, 29);
  EXPECT_GT(medium, small);
  EXPECT_GT(large, medium);
  EXPECT_LE(large, 177 + 8);  // version 40 at most
  expect_runs_inside_quiet_zone(*qr_svg(std::string(kMaxQrTextBytes, 'q')));
}

TEST(QrSvg, TheSameTextGivesTheSamePictureAndAnotherTextAnother) {
  EXPECT_EQ(qr_svg("pile drive"), qr_svg("pile drive"));
  EXPECT_NE(qr_svg("pile drive"), qr_svg("pile drivf"));
}

TEST(QrSvg, AnyBytesUpToTheLimitAndNothingElse) {
  EXPECT_FALSE(qr_svg("").has_value());
  EXPECT_FALSE(qr_svg(std::string(kMaxQrTextBytes + 1, 'q')).has_value());
  std::string binary(256, '\0');
  for (int i = 0; i < 256; ++i) binary[static_cast<std::size_t>(i)] = static_cast<char>(i);
  EXPECT_TRUE(qr_svg(binary).has_value());  // NUL and bytes above 127 included
  EXPECT_TRUE(qr_svg(std::string(1, '\0')).has_value());
  EXPECT_TRUE(qr_svg(std::string(kMaxQrTextBytes, '\xff')).has_value());
}

web::Response get(const web::Router& router, const std::string& query) {
  web::Request r;
  r.method = "GET";
  r.path = "/api/v1/qr";
  r.query = query;
  return router.dispatch(r);
}

TEST(QrRoute, AnswersTheSvgOfTheDecodedTextCachedForADay) {
  web::Router router;
  register_qr_routes(router);
  const auto r = get(router, "text=BCD%0A002%0A1%0ASCT%0A%2B49+x");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "image/svg+xml");
  EXPECT_EQ(r.body, qr_svg("BCD\n002\n1\nSCT\n+49 x").value());
  EXPECT_EQ(r.headers, (std::vector<std::pair<std::string, std::string>>{
                           {"Cache-Control", "public, max-age=86400"}}));
}

// The limit counts the decoded bytes: 1024 bytes sent as %41 each pass, 1025 do not.
TEST(QrRoute, RefusesAMissingEmptyOrTooLongText) {
  web::Router router;
  register_qr_routes(router);
  std::string at_limit = "text=";
  for (std::size_t i = 0; i < kMaxQrTextBytes; ++i) at_limit += "%41";
  for (const std::string& query :
       {std::string(), std::string("text="), std::string("txt=a"),
        "text=" + std::string(kMaxQrTextBytes + 1, 'q'), at_limit + "%41"}) {
    const auto r = get(router, query);
    EXPECT_EQ(r.status, 422) << query.substr(0, 20);
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], "invalid_field");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("text"), std::string::npos);
  }
  EXPECT_EQ(get(router, at_limit).status, 200);
}

}  // namespace
}  // namespace pilemesh::api
