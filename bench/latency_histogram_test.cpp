// The added-latency histogram as the bench reads it from /metrics: parsing,
// the difference of two readings, quantiles from buckets.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "bench/latency_histogram.h"

using namespace herald::bench;

namespace {

const std::string kBefore =
    "# HELP other_total Something else.\n# TYPE other_total counter\nother_total 7\n"
    "# HELP h_seconds Latency.\n# TYPE h_seconds histogram\n"
    "h_seconds_bucket{le=\"0.001\"} 1\n"
    "h_seconds_bucket{le=\"0.01\"} 2\n"
    "h_seconds_bucket{le=\"0.1\"} 2\n"
    "h_seconds_bucket{le=\"+Inf\"} 2\n"
    "h_seconds_sum 0.0065\n"
    "h_seconds_count 2\n";

const std::string kAfter =
    "# HELP h_seconds Latency.\n# TYPE h_seconds histogram\n"
    "h_seconds_bucket{le=\"0.001\"} 51\n"
    "h_seconds_bucket{le=\"0.01\"} 92\n"
    "h_seconds_bucket{le=\"0.1\"} 101\n"
    "h_seconds_bucket{le=\"+Inf\"} 102\n"
    "h_seconds_sum 3.0065\n"
    "h_seconds_count 102\n";

TEST(LatencyHistogram, ReadsBucketsSumAndCountOfTheNamedHistogram) {
    const auto reading = read_histogram(kBefore, "h_seconds");
    ASSERT_TRUE(reading);
    ASSERT_EQ(reading->buckets.size(), 4u);
    EXPECT_DOUBLE_EQ(reading->buckets[0].first, 0.001);
    EXPECT_DOUBLE_EQ(reading->buckets[1].second, 2);
    EXPECT_TRUE(std::isinf(reading->buckets[3].first));
    EXPECT_DOUBLE_EQ(reading->sum, 0.0065);
    EXPECT_DOUBLE_EQ(reading->count, 2);
    EXPECT_FALSE(read_histogram(kBefore, "missing_seconds"));
}

TEST(LatencyHistogram, TheDifferenceIsWhatWasObservedInBetween) {
    const auto added = read_histogram(kAfter, "h_seconds")->since(*read_histogram(kBefore, "h_seconds"));
    EXPECT_DOUBLE_EQ(added.count, 100);
    EXPECT_DOUBLE_EQ(added.sum, 3);
    EXPECT_DOUBLE_EQ(added.buckets[0].second, 50);
    EXPECT_DOUBLE_EQ(added.buckets[1].second, 90);
    EXPECT_DOUBLE_EQ(added.buckets[3].second, 100);
}

TEST(LatencyHistogram, QuantilesAreInterpolatedInsideTheirBucket) {
    const auto added = read_histogram(kAfter, "h_seconds")->since(*read_histogram(kBefore, "h_seconds"));
    // 50 of 100 in [0, 1 ms]: the median is that bucket's upper bound.
    EXPECT_DOUBLE_EQ(*quantile_from_buckets(added, 0.5), 0.001);
    // Rank 25 of the first bucket's 50: half way from 0.
    EXPECT_DOUBLE_EQ(*quantile_from_buckets(added, 0.25), 0.0005);
    // Rank 70: 20 of the 40 in (1 ms, 10 ms].
    EXPECT_DOUBLE_EQ(*quantile_from_buckets(added, 0.7), 0.001 + 0.009 * 20 / 40);
    // Rank 95: 5 of the 9 in (10 ms, 100 ms].
    EXPECT_DOUBLE_EQ(*quantile_from_buckets(added, 0.95), 0.01 + 0.09 * 5 / 9);
}

TEST(LatencyHistogram, AQuantileInTheInfiniteBucketIsTheLargestFiniteBound) {
    HistogramReading slow{{{0.001, 0}, {0.1, 1}, {std::numeric_limits<double>::infinity(), 10}}, 50, 10};
    EXPECT_DOUBLE_EQ(*quantile_from_buckets(slow, 0.99), 0.1);
}

TEST(LatencyHistogram, NoQuantileWithoutObservations) {
    const auto reading = read_histogram(kBefore, "h_seconds");
    EXPECT_FALSE(quantile_from_buckets(reading->since(*reading), 0.5));
    EXPECT_FALSE(quantile_from_buckets(HistogramReading{}, 0.5));
}

}  // namespace
