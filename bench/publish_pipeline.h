#pragma once

// A publisher that keeps `window` IQ publishes in flight until `total` are
// acknowledged, and times it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace herald::bench {

class ClientFleet;
struct Session;

class PublishPipeline {
public:
    // make(id) returns the publish iq carrying that id.
    using MakePublish = std::function<std::string(const std::string& id)>;

    PublishPipeline(ClientFleet& fleet, std::size_t session, MakePublish make, std::uint64_t total, int window);

    void start();
    // The reply to one of our ids (ids start with kIdPrefix); loop thread.
    void on_reply(Session& session, bool ok, const std::string& xml);
    bool wait(std::chrono::milliseconds deadline);

    std::uint64_t acked() const { return acked_; }
    std::uint64_t errors() const { return errors_; }
    std::string first_error() const;
    double seconds() const;  // first send to last reply

    static constexpr const char* kIdPrefix = "pl";

private:
    std::string next_publish();

    ClientFleet& fleet_;
    const std::size_t session_;
    const MakePublish make_;
    const std::uint64_t total_;
    const int window_;
    std::atomic<std::uint64_t> next_{0};
    std::atomic<std::uint64_t> acked_{0};
    std::atomic<std::uint64_t> errors_{0};
    std::int64_t started_ns_ = 0;
    std::atomic<std::int64_t> finished_ns_{0};
    mutable std::mutex mutex_;
    std::condition_variable done_;
    std::string first_error_;
};

}  // namespace herald::bench
