#include "routing/metrics.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <sstream>

namespace herald::routing {

template <std::size_t Buckets>
void Metrics::Histogram<Buckets>::observe(double seconds) {
    ++count_;
    seconds = std::max(seconds, 0.0);
    sum_ += seconds;
    for (std::size_t i = 0; i < Buckets; ++i)
        if (seconds <= bounds_[i]) ++counts_[i];
}

namespace {

// Shortest text that reads back as the same double: a sum of many seconds
// keeps its fractions.
std::string exact(double value) {
    std::array<char, 64> text{};
    auto written = std::to_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (written.ec != std::errc()) written = std::to_chars(text.data(), text.data() + text.size(), value);
    return std::string(text.data(), written.ptr);
}

}  // namespace

template <std::size_t Buckets>
void Metrics::Histogram<Buckets>::render(std::ostream& out, const char* name, const char* help) const {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
    for (std::size_t i = 0; i < Buckets; ++i)
        out << name << "_bucket{le=\"" << exact(bounds_[i]) << "\"} " << counts_[i] << "\n";
    out << name << "_bucket{le=\"+Inf\"} " << count_ << "\n"
        << name << "_sum " << exact(sum_) << "\n"
        << name << "_count " << count_ << "\n";
}

template class Metrics::Histogram<Metrics::kSlowBuckets.size()>;
template class Metrics::Histogram<Metrics::kFastBuckets.size()>;

void Metrics::delivered(std::int64_t latency_ms) { latency_.observe_ms(latency_ms); }

std::string Metrics::render(const storage::ServiceCounts& counts, std::size_t online_users) const {
    std::ostringstream out;
    auto metric = [&out](const char* name, const char* type, const char* help, auto value) {
        out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
            << name << " " << value << "\n";
    };
    metric("herald_published_total", "counter", "Notifications accepted since start.", published_);
    metric("herald_delivered_total", "counter", "Deliveries confirmed by clients since start.",
           latency_.count());
    metric("herald_undeliverable_total", "counter",
           "Deliveries set aside since start: in flight each time the stream to the server died.", set_aside_);
    metric("herald_handler_failures_total", "counter", "Exceptions contained in a handler since start.",
           handler_failures_);
    metric("herald_queued", "gauge", "Deliveries waiting in users' queues.", counts.queued);
    metric("herald_dropped_total", "counter", "Deliveries dropped because a queue was full, in all (kept in storage).",
           counts.dropped);
    metric("herald_expired_total", "counter", "Deliveries whose ttl ran out, in all (kept in storage).", counts.expired);
    metric("herald_feed_polls_total", "counter", "Feed polls finished (fetched, unchanged or failed) since start.",
           feed_polls_);
    metric("herald_feed_errors_total", "counter", "Feed polls that failed since start.", feed_errors_);
    metric("herald_component_connected", "gauge", "1 while the XEP-0114 stream to ejabberd is up (handshake accepted).",
           connected_ ? 1 : 0);
    metric("herald_online_users", "gauge", "Users with an available resource.", online_users);
    metric("herald_registered_users", "gauge", "Registered users.", counts.users);
    metric("herald_topics", "gauge", "Public topics.", counts.nodes);
    metric("herald_acknowledgements_total", "counter", "Items a person acknowledged since start.",
           time_to_ack_.count());
    latency_.render(out, "herald_delivery_latency_seconds", "From publish to confirmed delivery.");
    time_to_ack_.render(out, "herald_time_to_acknowledge_seconds", "From publish to the first acknowledgement.");
    publish_to_send_.render(out, "herald_publish_to_send_seconds",
                            "Herald's added latency, on its own clock: from receiving a publish (IQ or HTTP) to "
                            "handing a subscriber's message to the link to ejabberd (its outbox). Live deliveries only: an item handed "
                            "straight to a subscriber online and caught up; items read back from a queue "
                            "(offline, busy, backlog) are not counted.");
    out << "# HELP herald_escalations_total Escalation attempts by channel and outcome since start.\n"
        << "# TYPE herald_escalations_total counter\n";
    for (const auto& [key, count] : escalations_)
        out << "herald_escalations_total{channel=\"" << key.first << "\",outcome=\"" << key.second << "\"} " << count
            << "\n";
    return out.str();
}

}  // namespace herald::routing
