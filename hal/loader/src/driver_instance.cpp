#include "pilemesh/plugins/driver_instance.hpp"

#include <boost/dll/shared_library.hpp>

namespace pilemesh::plugins {
namespace {

// The deleter holds the library so that the plugin's code stays mapped until its object is
// destroyed, whatever the order in which the gateway releases things.
template <class Driver>
DriverPtr<Driver> own(Driver* object, void (*destroy)(Driver*) noexcept,
                      std::shared_ptr<boost::dll::shared_library> library) {
  return DriverPtr<Driver>(object, [destroy, library = std::move(library)](Driver* d) {
    if (d != nullptr) destroy(d);
  });
}

template <class Driver>
DriverPtr<Driver> create(const PluginRegistry::Found& found, hal::DriverKind kind,
                         Driver* (*create_fn)(hal::DriverContext&, std::string&) noexcept,
                         void (*destroy_fn)(Driver*) noexcept, hal::DriverContext& context,
                         std::string& error) {
  if (found.factory == nullptr || found.factory->kind != kind || create_fn == nullptr) {
    error = "driver is not of the expected kind";
    return nullptr;
  }
  std::string message;
  Driver* object = create_fn(context, message);
  if (object == nullptr) {
    error = "driver " + std::string(found.plugin->name()) + "/" + found.factory->name +
            " refused to start: " + (message.empty() ? "no reason given" : message);
    return nullptr;
  }
  return own(object, destroy_fn, found.plugin->library);
}

}  // namespace

DriverPtr<hal::Charger> create_charger(const PluginRegistry::Found& found,
                                       hal::DriverContext& context, std::string& error) {
  return create<hal::Charger>(
      found, hal::DriverKind::kCharger, found.factory ? found.factory->create_charger : nullptr,
      found.factory ? found.factory->destroy_charger : nullptr, context, error);
}

DriverPtr<hal::Meter> create_meter(const PluginRegistry::Found& found, hal::DriverContext& context,
                                   std::string& error) {
  return create<hal::Meter>(found, hal::DriverKind::kMeter,
                            found.factory ? found.factory->create_meter : nullptr,
                            found.factory ? found.factory->destroy_meter : nullptr, context, error);
}

DriverPtr<hal::TopUpMethod> create_top_up(const PluginRegistry::Found& found,
                                          hal::DriverContext& context, std::string& error) {
  return create<hal::TopUpMethod>(
      found, hal::DriverKind::kTopUp, found.factory ? found.factory->create_top_up : nullptr,
      found.factory ? found.factory->destroy_top_up : nullptr, context, error);
}

}  // namespace pilemesh::plugins
