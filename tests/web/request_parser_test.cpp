// parse_request: the bytes-to-Request step shared by the server and the fuzzer.
#include "pilemesh/web/request_parser.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pilemesh::web {
namespace {

using Status = ParsedRequest::Status;

std::string code(const ParsedRequest& parsed) {
  return nlohmann::json::parse(parsed.error.body)["error"]["code"];
}

TEST(ParseRequest, CompleteRequest) {
  std::string raw =
      "POST /api/v1/piles/p1/limit?x=1 HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\n\r\n{}GET / HTTP/1.1\r\n";
  auto parsed = parse_request(raw, {});
  ASSERT_EQ(parsed.status, Status::complete);
  EXPECT_EQ(parsed.request.method, "POST");
  EXPECT_EQ(parsed.request.path, "/api/v1/piles/p1/limit");
  EXPECT_EQ(parsed.request.query, "x=1");
  EXPECT_EQ(parsed.request.body, "{}");
  EXPECT_EQ(parsed.request.content_type, "application/json");
  EXPECT_EQ(parsed.request.header("HOST"), "gw");
  EXPECT_TRUE(parsed.keep_alive);
  EXPECT_EQ(raw.substr(parsed.consumed), "GET / HTTP/1.1\r\n");
}

TEST(ParseRequest, ChunkedBody) {
  auto parsed = parse_request(
      "PUT /x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      {});
  ASSERT_EQ(parsed.status, Status::complete);
  EXPECT_EQ(parsed.request.body, "abcde");
}

TEST(ParseRequest, AbsoluteFormTarget) {
  auto parsed = parse_request("GET http://gw:8080/api?q HTTP/1.1\r\nHost: gw\r\n\r\n", {});
  ASSERT_EQ(parsed.status, Status::complete);
  EXPECT_EQ(parsed.request.path, "/api");
  EXPECT_EQ(parsed.request.query, "q");
}

TEST(ParseRequest, Incomplete) {
  EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost:", {}).status, Status::incomplete);
  EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", {}).status,
            Status::incomplete);
  EXPECT_EQ(parse_request("", {}).status, Status::incomplete);
}

TEST(ParseRequest, Rejections) {
  ParseLimits limits{256, 16};
  auto big_header =
      parse_request("GET / HTTP/1.1\r\nX: " + std::string(1000, 'a') + "\r\n\r\n", limits);
  ASSERT_EQ(big_header.status, Status::rejected);
  EXPECT_EQ(big_header.error.status, 431);
  EXPECT_EQ(code(big_header), "headers_too_large");

  auto big_body = parse_request("POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n", limits);
  ASSERT_EQ(big_body.status, Status::rejected);
  EXPECT_EQ(big_body.error.status, 413);

  auto garbage = parse_request("\x01\x02 nonsense\r\n\r\n", limits);
  ASSERT_EQ(garbage.status, Status::rejected);
  EXPECT_EQ(garbage.error.status, 400);
  EXPECT_EQ(code(garbage), "bad_request");

  auto unknown = parse_request("BREW / HTTP/1.1\r\n\r\n", limits);
  ASSERT_EQ(unknown.status, Status::rejected);
  EXPECT_EQ(unknown.error.status, 501);

  auto star = parse_request("OPTIONS * HTTP/1.1\r\n\r\n", limits);
  ASSERT_EQ(star.status, Status::rejected);
  EXPECT_EQ(star.error.status, 400);
}

}  // namespace
}  // namespace pilemesh::web
