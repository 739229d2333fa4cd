// Route matching without any sockets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pilemesh/web/http.hpp"

namespace pilemesh::web {
namespace {

Handler named(std::string name) {
  return [name](const Request& request) {
    std::string body = name;
    for (const auto& [key, value] : request.params) body += " " + key + "=" + value;
    return Response{200, "text/plain", body, {}};
  };
}

Response call(const Router& router, std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return router.dispatch(request);
}

std::string header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router.add("GET", "/", named("root"));
    router.add("GET", "/api/v1/status", named("status"));
    router.add("GET", "/api/v1/piles/{id}", named("pile"));
    router.add("GET", "/api/v1/piles/summary", named("summary"));
    router.add("PUT", "/api/v1/piles/{id}/limit", named("limit"));
    router.add("DELETE", "/api/v1/piles/{id}/limit", named("unlimit"));
    router.add("GET", "/api/v1/piles/{id}/connectors/{connector}", named("connector"));
  }
  Router router;
};

TEST_F(RouterTest, ExactRoutes) {
  EXPECT_EQ(call(router, "GET", "/").body, "root");
  EXPECT_EQ(call(router, "GET", "/api/v1/status").body, "status");
}

TEST_F(RouterTest, ParametersAreCapturedAndDecoded) {
  EXPECT_EQ(call(router, "GET", "/api/v1/piles/pile-1").body, "pile id=pile-1");
  EXPECT_EQ(call(router, "PUT", "/api/v1/piles/a%20b/limit").body, "limit id=a b");
  EXPECT_EQ(call(router, "GET", "/api/v1/piles/p/connectors/2").body, "connector connector=2 id=p");
  // A broken escape is passed on as it came.
  EXPECT_EQ(call(router, "GET", "/api/v1/piles/100%").body, "pile id=100%");
}

TEST_F(RouterTest, LiteralSegmentsWinOverParameters) {
  EXPECT_EQ(call(router, "GET", "/api/v1/piles/summary").body, "summary");
}

TEST_F(RouterTest, UnknownPathIs404) {
  for (const char* path :
       {"/api/v1", "/api/v1/status/", "/api/v1/piles/", "/api/v1/piles//limit", "/other"}) {
    auto response = call(router, "GET", path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["code"], "not_found");
  }
}

TEST_F(RouterTest, OtherMethodIs405WithAllow) {
  auto response = call(router, "POST", "/api/v1/piles/p/limit");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["code"], "method_not_allowed");
  EXPECT_EQ(header(response, "Allow"), "DELETE, PUT");
  EXPECT_EQ(header(call(router, "POST", "/api/v1/status"), "Allow"), "GET, HEAD");
}

TEST_F(RouterTest, HeadUsesTheGetRoute) {
  EXPECT_EQ(call(router, "HEAD", "/api/v1/status").body, "status");
  EXPECT_EQ(call(router, "HEAD", "/api/v1/piles/p/limit").status, 405);
}

TEST(JsonError, EscapesAndKeepsTheShape) {
  auto response = json_error(400, "bad_input", "quote \" backslash \\ newline \n bad utf8 \xff");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/json");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["error"]["code"], "bad_input");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("quote \" backslash \\ newline \n"),
            std::string::npos);
}

TEST(CookieValue, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(cookie_value("a=1; pm_session=abc; b=2", "pm_session"), "abc");
  EXPECT_EQ(cookie_value("pm_session=abc", "pm_session"), "abc");
  EXPECT_EQ(cookie_value("xpm_session=abc; pm_session=def", "pm_session"), "def");
  EXPECT_EQ(cookie_value("a=1", "pm_session"), "");
  EXPECT_EQ(cookie_value("", "pm_session"), "");
  EXPECT_EQ(cookie_value(";;=;pm_session", "pm_session"), "");
}

}  // namespace
}  // namespace pilemesh::web
