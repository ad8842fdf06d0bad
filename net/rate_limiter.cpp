#include "net/rate_limiter.h"

#include <algorithm>

namespace herald::ingest {

RateLimiter::RateLimiter(double per_second, std::size_t max_keys)
    : rate_(per_second), burst_(std::max(1.0, per_second * 2)), max_keys_(std::max<std::size_t>(1, max_keys)) {}

bool RateLimiter::allow(const std::string& key, Clock::time_point now) {
    auto bucket = buckets_.find(key);
    if (bucket == buckets_.end()) {
        if (buckets_.size() >= max_keys_) forget(std::string(recency_.back()));
        recency_.push_front(key);
        bucket = buckets_.emplace(key, Bucket{burst_, now, recency_.begin()}).first;
    } else {
        recency_.splice(recency_.begin(), recency_, bucket->second.recency);
        const std::chrono::duration<double> elapsed = now - bucket->second.last;
        bucket->second.tokens = std::min(burst_, bucket->second.tokens + std::max(0.0, elapsed.count()) * rate_);
        bucket->second.last = now;
    }
    if (bucket->second.tokens < 1) return false;
    bucket->second.tokens -= 1;
    return true;
}

void RateLimiter::forget(const std::string& key) {
    const auto bucket = buckets_.find(key);
    if (bucket == buckets_.end()) return;
    recency_.erase(bucket->second.recency);
    buckets_.erase(bucket);
}

PublishRateLimits::PublishRateLimits(double per_second, std::size_t max_keys)
    : publishers_(per_second, max_keys), strangers_(per_second, max_keys) {}

bool PublishRateLimits::allow(const std::string& token, const std::string& remote_address) {
    return publishers_.knows(token) ? publishers_.allow(token) : strangers_.allow(remote_address);
}

void PublishRateLimits::accepted(const std::string& token) {
    if (!publishers_.knows(token)) publishers_.allow(token);
}

}  // namespace herald::ingest
