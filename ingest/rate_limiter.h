#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

namespace herald::ingest {

// A token bucket per key (a bearer token, a JID): bursts of twice the rate,
// then the rate. Memory is bounded: past `max_keys` it forgets everyone,
// which only forgives.
class RateLimiter {
public:
    explicit RateLimiter(double per_second, std::size_t max_keys = 10000);

    bool allow(const std::string& key);

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point last;
    };
    double rate_;
    double burst_;
    std::size_t max_keys_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace herald::ingest
