#pragma once

// Herald's Prometheus endpoint (GET /metrics) read by the driver: how many
// users herald sees online, how many deliveries wait in queues.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "bench/latency_histogram.h"

namespace herald::bench {

class HeraldMetrics {
public:
    explicit HeraldMetrics(int http_port);

    // name -> value of every unlabelled sample; empty when herald does not answer.
    std::map<std::string, double> fetch() const;
    double value(const std::string& name) const;
    std::optional<HistogramReading> histogram(const std::string& name) const;
    // Polls (every 10 ms unless told) until done(value of name) or the deadline.
    bool wait_for(const std::string& name, const std::function<bool(double)>& done,
                  std::chrono::milliseconds deadline,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(10)) const;

private:
    std::string url_;
};

}  // namespace herald::bench
