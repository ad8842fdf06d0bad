#pragma once

// Counts messages delivered to the simulated users, keeps their latencies
// when asked to, and lets the scenario wait until the expected number came.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace herald::bench {

class DeliveryTally {
public:
    // Starts a new count of `expected` messages; keeps latencies if asked.
    void reset(std::uint64_t expected, bool keep_latencies);
    // Thread-safe; sent_ns < 0 when the message carried no send time.
    void record(std::int64_t sent_ns, std::int64_t received_ns);
    bool wait_all(std::chrono::milliseconds deadline);

    std::uint64_t received() const;
    std::int64_t last_received_ns() const;
    std::vector<std::int64_t> latencies_ns() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable all_in_;
    std::uint64_t expected_ = 0;
    std::uint64_t received_ = 0;
    std::int64_t last_received_ns_ = 0;
    bool keep_latencies_ = false;
    std::vector<std::int64_t> latencies_ns_;
};

// The q-quantile (0..1) of the values, nearest rank; 0 when empty.
double quantile(std::vector<std::int64_t> values, double q);

}  // namespace herald::bench
