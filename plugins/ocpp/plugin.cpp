// The ocpp plugin: OCPP charge points whose central system is the gateway.
#include "charge_point_16.hpp"
#include "pilemesh/hal/plugin.hpp"

namespace {

const pilemesh::hal::DriverFactory kFactories[] = {
    pilemesh::hal::charger_factory<pilemesh::ocpp::ChargePoint16>(
        "charge-point-16",
        "An OCPP 1.6J charge point connected to the gateway's OCPP endpoint",
        pilemesh::ocpp::kChargePointSettings),
};

}  // namespace

PILEMESH_PLUGIN("ocpp", "pilemesh", "0.1.0",
                "OCPP charge points (1.6J); the gateway is their central system", kFactories)
