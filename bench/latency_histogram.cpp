#include "bench/latency_histogram.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace herald::bench {

HistogramReading HistogramReading::since(const HistogramReading& earlier) const {
    HistogramReading added = *this;
    for (std::size_t i = 0; i < added.buckets.size() && i < earlier.buckets.size(); ++i)
        added.buckets[i].second -= earlier.buckets[i].second;
    added.sum -= earlier.sum;
    added.count -= earlier.count;
    return added;
}

std::optional<HistogramReading> read_histogram(const std::string& metrics_text, const std::string& name) {
    const std::string bucket = name + "_bucket{le=\"";
    HistogramReading reading;
    bool found = false;
    std::istringstream lines(metrics_text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(bucket, 0) == 0) {
            const auto bound_end = line.find('"', bucket.size());
            if (bound_end == std::string::npos) continue;
            const auto bound = line.substr(bucket.size(), bound_end - bucket.size());
            const double upper = bound == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(bound);
            reading.buckets.emplace_back(upper, std::stod(line.substr(line.rfind(' ') + 1)));
            found = true;
        } else if (line.rfind(name + "_sum ", 0) == 0) {
            reading.sum = std::stod(line.substr(name.size() + 5));
        } else if (line.rfind(name + "_count ", 0) == 0) {
            reading.count = std::stod(line.substr(name.size() + 7));
        }
    }
    if (!found) return std::nullopt;
    return reading;
}

std::optional<double> quantile_from_buckets(const HistogramReading& histogram, double q) {
    if (histogram.buckets.empty()) return std::nullopt;
    const double total = histogram.buckets.back().second;
    if (total <= 0) return std::nullopt;
    const double rank = q * total;
    double lower = 0, below = 0;
    for (const auto& [upper, cumulative] : histogram.buckets) {
        if (cumulative >= rank) {
            if (std::isinf(upper)) return lower;
            const double in_bucket = cumulative - below;
            return in_bucket <= 0 ? upper : lower + (upper - lower) * (rank - below) / in_bucket;
        }
        lower = upper;
        below = cumulative;
    }
    return lower;
}

}  // namespace herald::bench
