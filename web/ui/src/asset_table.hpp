// The table the generated assets_data.cpp defines.
#pragma once

#include <cstddef>

#include "pilemesh/web/assets.hpp"

namespace pilemesh::web::detail {

extern const Asset kAssets[];
extern const std::size_t kAssetCount;

}  // namespace pilemesh::web::detail
