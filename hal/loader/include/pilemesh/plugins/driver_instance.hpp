// Owning handles for driver objects made by a plugin: destroyed inside the plugin by the
// factory's destroy function, and keeping the plugin's library loaded while they live.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pilemesh/plugins/plugin_registry.hpp"

namespace pilemesh::plugins {

template <class Driver>
using DriverPtr = std::unique_ptr<Driver, std::function<void(Driver*)>>;

// Calls the factory (which never throws); on failure returns nullptr and sets `error`.
DriverPtr<hal::Charger> create_charger(const PluginRegistry::Found& found,
                                       hal::DriverContext& context, std::string& error);
DriverPtr<hal::Meter> create_meter(const PluginRegistry::Found& found, hal::DriverContext& context,
                                   std::string& error);
DriverPtr<hal::TopUpMethod> create_top_up(const PluginRegistry::Found& found,
                                          hal::DriverContext& context, std::string& error);

}  // namespace pilemesh::plugins
