#pragma once

#include <array>
#include <chrono>
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
    // A just-published item's message to a user went to the socket `took`
    // after herald received the publish.
    void sent_live(std::chrono::steady_clock::duration took) {
        publish_to_send_.observe(std::chrono::duration<double>(took).count());
    }
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
    void acknowledged(std::int64_t after_ms) { time_to_ack_.observe_ms(after_ms); }

    std::string render(const storage::ServiceCounts& counts, std::size_t online_users) const;

private:
    // Seconds, cumulative buckets as Prometheus counts them, with the upper
    // bounds given (+Inf added).
    template <std::size_t Buckets>
    class Histogram {
    public:
        explicit constexpr Histogram(const std::array<double, Buckets>& bounds) : bounds_(bounds) {}
        void observe(double seconds);
        void observe_ms(std::int64_t milliseconds) { observe(static_cast<double>(milliseconds) / 1000.0); }
        void render(std::ostream& out, const char* name, const char* help) const;
        std::uint64_t count() const { return count_; }

    private:
        std::array<double, Buckets> bounds_;
        std::array<std::uint64_t, Buckets> counts_{};
        double sum_ = 0;
        std::uint64_t count_ = 0;
    };
    static constexpr std::array<double, 12> kSlowBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                            0.5,   1,    5,     30,   300,  3600};
    static constexpr std::array<double, 14> kFastBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                            0.005,  0.01,    0.025,  0.05,  0.1,
                                                            0.25,   0.5,     1,      2.5};

    std::uint64_t published_ = 0;
    std::uint64_t set_aside_ = 0;
    std::uint64_t handler_failures_ = 0;
    bool connected_ = false;
    std::uint64_t feed_polls_ = 0;
    std::uint64_t feed_errors_ = 0;
    Histogram<kSlowBuckets.size()> latency_{kSlowBuckets};
    Histogram<kSlowBuckets.size()> time_to_ack_{kSlowBuckets};
    Histogram<kFastBuckets.size()> publish_to_send_{kFastBuckets};
    std::map<std::pair<std::string, std::string>, std::uint64_t> escalations_;
};

}  // namespace herald::routing
