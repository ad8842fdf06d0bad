#include "ingest/rate_limiter.h"

#include <algorithm>

namespace herald::ingest {

RateLimiter::RateLimiter(double per_second, std::size_t max_keys)
    : rate_(per_second), burst_(per_second * 2), max_keys_(max_keys) {}

bool RateLimiter::allow(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    if (buckets_.size() >= max_keys_) buckets_.clear();
    auto [bucket, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    if (!fresh) {
        const std::chrono::duration<double> elapsed = now - bucket->second.last;
        bucket->second.tokens = std::min(burst_, bucket->second.tokens + elapsed.count() * rate_);
        bucket->second.last = now;
    }
    if (bucket->second.tokens < 1) return false;
    bucket->second.tokens -= 1;
    return true;
}

}  // namespace herald::ingest
