#include "bench/publish_pipeline.h"

#include "bench/bench_stanzas.h"
#include "bench/client_fleet.h"

namespace herald::bench {

PublishPipeline::PublishPipeline(ClientFleet& fleet, std::size_t session, MakePublish make, std::uint64_t total,
                                 int window)
    : fleet_(fleet), session_(session), make_(std::move(make)), total_(total), window_(window) {}

std::string PublishPipeline::next_publish() {
    const auto n = next_++;
    if (n >= total_) return {};
    return make_(kIdPrefix + std::to_string(n));
}

void PublishPipeline::start() {
    started_ns_ = now_ns();
    for (int i = 0; i < window_; ++i) {
        auto xml = next_publish();
        if (xml.empty()) break;
        fleet_.send(session_, std::move(xml));
    }
}

void PublishPipeline::on_reply(Session& session, bool ok, const std::string& xml) {
    if (!ok && errors_++ == 0) {
        std::lock_guard lock(mutex_);
        first_error_ = xml;
    }
    auto next = next_publish();
    if (!next.empty()) session.send_now(next);
    if (++acked_ == total_) {
        finished_ns_ = now_ns();
        { std::lock_guard lock(mutex_); }
        done_.notify_all();
    }
}

bool PublishPipeline::wait(std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return done_.wait_for(lock, deadline, [this] { return acked_ >= total_; });
}

std::string PublishPipeline::first_error() const {
    std::lock_guard lock(mutex_);
    return first_error_;
}

double PublishPipeline::seconds() const { return static_cast<double>(finished_ns_ - started_ns_) / 1e9; }

}  // namespace herald::bench
