#pragma once

#include <chrono>
#include <random>

namespace herald::component {

// When to try the server again: from `initial` doubling to `max`, each delay
// drawn in [base/2, base] so that many components restarting together do not
// reconnect in step. Only a stream that lived `stable` or longer starts over:
// one that dies soon after each handshake keeps slowing down.
class ReconnectBackoff {
public:
    using Clock = std::chrono::steady_clock;

    ReconnectBackoff(std::chrono::duration<double> initial, std::chrono::duration<double> max,
                     std::chrono::seconds stable = std::chrono::seconds(30));

    // The next attempt's delay; each call counts one more failure.
    std::chrono::milliseconds next_delay();
    void connected(Clock::time_point at);
    void lost(Clock::time_point at);

private:
    std::chrono::duration<double> initial_;
    std::chrono::duration<double> max_;
    std::chrono::seconds stable_;
    int failures_ = 0;
    Clock::time_point connected_at_;
    std::mt19937 random_{std::random_device{}()};
};

}  // namespace herald::component
