#include "bench/delivery_tally.h"

#include <algorithm>
#include <cmath>

namespace herald::bench {

void DeliveryTally::reset(std::uint64_t expected, bool keep_latencies) {
    std::lock_guard lock(mutex_);
    expected_ = expected;
    received_ = 0;
    last_received_ns_ = 0;
    keep_latencies_ = keep_latencies;
    latencies_ns_.clear();
    latencies_ns_.reserve(keep_latencies ? expected : 0);
}

void DeliveryTally::record(std::int64_t sent_ns, std::int64_t received_ns) {
    bool done;
    {
        std::lock_guard lock(mutex_);
        ++received_;
        last_received_ns_ = received_ns;
        if (keep_latencies_ && sent_ns >= 0) latencies_ns_.push_back(received_ns - sent_ns);
        done = received_ == expected_;
    }
    if (done) all_in_.notify_all();
}

bool DeliveryTally::wait_all(std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return all_in_.wait_for(lock, deadline, [this] { return received_ >= expected_; });
}

std::uint64_t DeliveryTally::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::int64_t DeliveryTally::last_received_ns() const {
    std::lock_guard lock(mutex_);
    return last_received_ns_;
}

std::vector<std::int64_t> DeliveryTally::latencies_ns() const {
    std::lock_guard lock(mutex_);
    return latencies_ns_;
}

double quantile(std::vector<std::int64_t> values, double q) {
    if (values.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    const auto index = std::min(values.size() - 1, rank == 0 ? 0 : rank - 1);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
    return static_cast<double>(values[index]);
}

}  // namespace herald::bench
