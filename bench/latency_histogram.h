#pragma once

// A Prometheus histogram read from herald's /metrics text, the difference
// between two readings (what one scenario added), and quantiles estimated
// from its buckets.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace herald::bench {

struct HistogramReading {
    // (upper bound, cumulative count), ascending, +Inf last as infinity.
    std::vector<std::pair<double, double>> buckets;
    double sum = 0;
    double count = 0;

    // What was observed between `earlier` and this reading.
    HistogramReading since(const HistogramReading& earlier) const;
};

// The histogram `name` in Prometheus text; nullopt when it is not there.
std::optional<HistogramReading> read_histogram(const std::string& metrics_text, const std::string& name);

// The q-quantile (0 < q < 1) interpolated linearly inside its bucket, as
// Prometheus' histogram_quantile does: the first bucket starts at 0, and a
// quantile in the +Inf bucket is the largest finite bound. nullopt when
// nothing was observed.
std::optional<double> quantile_from_buckets(const HistogramReading& histogram, double q);

}  // namespace herald::bench
