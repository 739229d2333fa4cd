// The page files compiled into the binary.
#include "pilemesh/web/assets.hpp"

#include <gtest/gtest.h>

namespace pilemesh::web {
namespace {

TEST(Assets, RootIsTheIndexPage) {
  const Asset* root = find_asset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root, find_asset("/index.html"));
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_NE(root->body.find("<!doctype html>"), std::string_view::npos);
  EXPECT_GT(root->etag.size(), 2u);
  EXPECT_EQ(root->etag.front(), '"');
  EXPECT_EQ(root->etag.back(), '"');
}

TEST(Assets, ScriptAndStyleAreThere) {
  const Asset* script = find_asset("/app.js");
  const Asset* style = find_asset("/style.css");
  ASSERT_NE(script, nullptr);
  ASSERT_NE(style, nullptr);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(style->content_type, "text/css; charset=utf-8");
  EXPECT_NE(script->etag, style->etag);
  // The page never builds markup from data.
  EXPECT_EQ(script->body.find("innerHTML"), std::string_view::npos);
}

TEST(Assets, UnknownPathIsNull) {
  EXPECT_EQ(find_asset("/nope.js"), nullptr);
  EXPECT_EQ(find_asset(""), nullptr);
  EXPECT_EQ(all_assets().size(), 3u);
}

}  // namespace
}  // namespace pilemesh::web
