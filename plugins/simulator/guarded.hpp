// Keeps exceptions inside the plugin: the SDK's driver methods are noexcept.
#pragma once

#include <exception>
#include <string>

#include "pilemesh/hal/status.hpp"

namespace pilemesh::simulator {

// Runs `fn`, returning its Status, or kInternal naming `what` if it throws.
template <class Fn>
hal::Status guarded(const char* what, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::exception& e) {
    return hal::Status::internal(std::string(what) + ": " + e.what());
  } catch (...) {
    return hal::Status::internal(std::string(what) + ": unknown error");
  }
}

}  // namespace pilemesh::simulator
