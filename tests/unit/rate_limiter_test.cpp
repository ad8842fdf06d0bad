// Token buckets: bounded memory that forgives one stale key at a time, and
// HTTP limits that made-up tokens cannot reset.

#include <gtest/gtest.h>

#include "net/rate_limiter.h"

using herald::ingest::PublishRateLimits;
using herald::ingest::RateLimiter;

TEST(RateLimiter, PastTheKeyLimitOnlyTheLeastRecentlyUsedKeyIsForgotten) {
    RateLimiter limiter(1, 3);  // burst 2
    const auto start = RateLimiter::Clock::now();
    EXPECT_TRUE(limiter.allow("busy", start));
    EXPECT_TRUE(limiter.allow("busy", start));
    EXPECT_FALSE(limiter.allow("busy", start));
    for (int i = 0; i < 1000; ++i) {
        limiter.allow("stranger-" + std::to_string(i), start);
        EXPECT_FALSE(limiter.allow("busy", start)) << "after " << i + 1 << " other keys";
    }
    EXPECT_EQ(limiter.size(), 3u);
    EXPECT_TRUE(limiter.allow("busy", start + std::chrono::seconds(1))) << "the rate refills it";
}

TEST(RateLimiter, ARateBelowOneStillLetsOneThrough) {
    RateLimiter limiter(0.01);
    const auto start = RateLimiter::Clock::now();
    EXPECT_TRUE(limiter.allow("slow", start));
    EXPECT_FALSE(limiter.allow("slow", start + std::chrono::seconds(50)));
    EXPECT_TRUE(limiter.allow("slow", start + std::chrono::seconds(150)));
}

TEST(PublishRateLimits, BogusTokensAreChargedToTheirAddressAndLeaveRealBucketsAlone) {
    PublishRateLimits limits(0.01, 100);
    EXPECT_TRUE(limits.allow("real", "192.0.2.1"));
    limits.accepted("real");
    EXPECT_FALSE(limits.allow("real", "192.0.2.1")) << "its bucket is empty";
    for (int i = 0; i < 10000; ++i)
        EXPECT_EQ(limits.allow("bogus-" + std::to_string(i), "198.51.100.7"), i == 0) << "one bucket for the address";
    EXPECT_FALSE(limits.allow("real", "203.0.113.9")) << "ten thousand bogus tokens did not reset it";
    EXPECT_TRUE(limits.allow("new", "203.0.113.9")) << "a first attempt from another address";
}
