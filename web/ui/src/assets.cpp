// Looking up the embedded assets by request path.
#include "asset_table.hpp"

namespace pilemesh::web {

std::span<const Asset> all_assets() {
  return {detail::kAssets, detail::kAssetCount};
}

const Asset* find_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const auto& asset : all_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace pilemesh::web
