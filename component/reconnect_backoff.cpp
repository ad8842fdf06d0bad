#include "component/reconnect_backoff.h"

#include <algorithm>
#include <cmath>

namespace herald::component {

ReconnectBackoff::ReconnectBackoff(std::chrono::duration<double> initial, std::chrono::duration<double> max,
                                   std::chrono::seconds stable)
    : initial_(initial), max_(max), stable_(stable) {}

std::chrono::milliseconds ReconnectBackoff::next_delay() {
    const auto base = std::min(max_, initial_ * std::pow(2.0, std::min(failures_, 30)));
    ++failures_;
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(base * jitter(random_));
}

void ReconnectBackoff::connected(Clock::time_point at) { connected_at_ = at; }

void ReconnectBackoff::lost(Clock::time_point at) {
    if (at - connected_at_ >= stable_) failures_ = 0;
}

}  // namespace herald::component
