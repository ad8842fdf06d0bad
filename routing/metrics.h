#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>

#include "storage/pubsub_records.h"

namespace herald::routing {

// Counters kept on the io_context thread, rendered in Prometheus text format
// together with the counts storage holds.
class Metrics {
public:
    void published(std::size_t items = 1) { published_ += items; }
    // A delivery confirmed `latency_ms` after its item was published.
    void delivered(std::int64_t latency_ms);
    // An escalation attempt by `channel` ended: sent, retried or failed.
    void escalation(const std::string& channel, const std::string& outcome) { ++escalations_[{channel, outcome}]; }
    // A delivery set aside: its item was in flight each time the stream died.
    void set_aside() { ++set_aside_; }
    // An exception escaped a handler and was contained.
    void handler_failed() { ++handler_failures_; }
    // The stream to ejabberd: handshake accepted (true) or lost (false).
    void link_changed(bool connected) { connected_ = connected; }
    void feed_polled(bool failed) {
        ++feed_polls_;
        if (failed) ++feed_errors_;
    }

    // A person acknowledged an item `after_ms` after it was published.
    void acknowledged(std::int64_t after_ms) { time_to_ack_.observe(after_ms); }

    std::string render(const storage::ServiceCounts& counts, std::size_t online_users) const;

private:
    // Seconds, cumulative buckets as Prometheus counts them.
    class Histogram {
    public:
        void observe(std::int64_t milliseconds);
        void render(std::ostream& out, const char* name, const char* help) const;
        std::uint64_t count() const { return count_; }

    private:
        static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                            0.5,   1,    5,     30,   300,  3600};
        std::array<std::uint64_t, kBuckets.size()> counts_{};
        double sum_ = 0;
        std::uint64_t count_ = 0;
    };

    std::uint64_t published_ = 0;
    std::uint64_t set_aside_ = 0;
    std::uint64_t handler_failures_ = 0;
    bool connected_ = false;
    std::uint64_t feed_polls_ = 0;
    std::uint64_t feed_errors_ = 0;
    Histogram latency_;
    Histogram time_to_ack_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> escalations_;
};

}  // namespace herald::routing
