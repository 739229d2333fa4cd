// The smallest useful pilemesh plugin: a meter that reports a constant power and integrates
// it into an energy register. docs/plugin-authoring.md walks through it line by line.
#include <chrono>
#include <pilemesh/hal/plugin.hpp>

namespace {

using namespace pilemesh::hal;

class ConstantMeter final : public Meter {
 public:
  // Settings arrive validated; a constructor may still throw to refuse a device.
  explicit ConstantMeter(DriverContext& context)
      : context_(context), power_w_(context.settings().get_int("power_w")) {}

  Status connect(MeterObserver& observer) noexcept override {
    observer_ = &observer;
    last_ = context_.now();
    timer_ =
        context_.start_timer(std::chrono::seconds(1), std::chrono::seconds(1), [this] { tick(); });
    context_.logger().info("constant meter connected");
    return Status::ok();
  }

  void disconnect() noexcept override {
    context_.cancel_timer(timer_);
    observer_ = nullptr;
  }

  Status read(MeterReading& out) const noexcept override {
    out = reading();
    return Status::ok();
  }

 private:
  void tick() {
    const auto now = context_.now();
    energy_mws_ +=
        power_w_ * std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count();
    last_ = now;
    if (observer_ != nullptr) observer_->on_meter_reading(reading());
  }

  MeterReading reading() const {
    MeterReading r;
    r.power_w = power_w_;
    r.energy_import_wh = energy_mws_ / 3'600'000;  // milliwatt-seconds to watt-hours
    r.voltage_mv = {230000, 0, 0};
    r.current_ma = {static_cast<std::int32_t>(power_w_ * 1000 / 230), 0, 0};
    return r;
  }

  DriverContext& context_;
  const std::int64_t power_w_;
  MeterObserver* observer_ = nullptr;
  TimerId timer_ = 0;
  std::chrono::steady_clock::time_point last_;
  std::int64_t energy_mws_ = 0;
};

constexpr SettingSpec kSettings[] = {
    SettingSpec::integer("power_w", 1000, 0, 100000, "The power the meter reports, in watts"),
};

const DriverFactory kFactories[] = {
    meter_factory<ConstantMeter>("constant-meter", "A meter that always reports the same power",
                                 kSettings),
};

}  // namespace

PILEMESH_PLUGIN("example", "pilemesh", "1.0.0", "A minimal example plugin", kFactories)
