// The web UI's files compiled into the binary: the page, its hashed scripts and styles, each
// also gzipped at build time.
#include "pilemesh/web/assets.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pilemesh::web {
namespace {

const Asset* by_name(std::string_view name) {
  for (const Asset& a : all_assets())
    if (a.path.starts_with("/assets/") && a.path.ends_with("/" + std::string(name))) return &a;
  return nullptr;
}

TEST(Assets, RootIsTheIndexPage) {
  const Asset* root = find_asset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root, find_asset("/index.html"));
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_NE(root->body.find("<!doctype html>"), std::string_view::npos);
  EXPECT_GT(root->etag.size(), 2u);
  EXPECT_EQ(root->etag.front(), '"');
  EXPECT_EQ(root->etag.back(), '"');
  // The page itself is revalidated; it names the scripts by content hash.
  EXPECT_EQ(root->cache_control, "no-cache");
}

TEST(Assets, ThePageLinksEveryHashedAsset) {
  const Asset* root = find_asset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->body.find("{{"), std::string_view::npos);  // every placeholder replaced
  for (const char* name : {"app.js", "pages-neighbour.js", "pages-owner.js", "pages-admin.js",
                           "pages-setup.js", "style.css", "nacl.js", "uplot.js", "uplot.css"}) {
    const Asset* a = by_name(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_NE(root->body.find(a->path), std::string_view::npos) << name;
    // A new build changes the path, so the old one can be cached for good.
    EXPECT_EQ(a->cache_control, "public, max-age=31536000, immutable") << name;
  }
}

TEST(Assets, EachIsAlsoGzipped) {
  for (const Asset& a : all_assets()) {
    ASSERT_GE(a.gzip.size(), 2u) << a.path;
    EXPECT_EQ(static_cast<unsigned char>(a.gzip[0]), 0x1f) << a.path;
    EXPECT_EQ(static_cast<unsigned char>(a.gzip[1]), 0x8b) << a.path;
    if (a.body.size() > 4096) {
      EXPECT_LT(a.gzip.size(), a.body.size() / 2) << a.path;
    }
  }
}

TEST(Assets, OurScriptsNeverBuildMarkupFromData) {
  for (const char* name :
       {"app.js", "pages-neighbour.js", "pages-owner.js", "pages-admin.js", "pages-setup.js"}) {
    const Asset* a = by_name(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_EQ(a->content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(a->body.find("innerHTML"), std::string_view::npos) << name;
    EXPECT_EQ(a->body.find("insertAdjacentHTML"), std::string_view::npos) << name;
    EXPECT_EQ(a->body.find("document.write"), std::string_view::npos) << name;
  }
}

TEST(Assets, UnknownPathIsNull) {
  EXPECT_EQ(find_asset("/nope.js"), nullptr);
  EXPECT_EQ(find_asset(""), nullptr);
  EXPECT_EQ(find_asset("/app.js"), nullptr);  // only under its hashed path
}

}  // namespace
}  // namespace pilemesh::web
