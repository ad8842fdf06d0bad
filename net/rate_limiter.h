#pragma once

#include <chrono>
#include <list>
#include <string>
#include <unordered_map>

namespace herald::ingest {

// A token bucket per key (a validated bearer token, a JID, a remote address):
// bursts of twice the rate (at least one), then the rate. Memory is bounded:
// past `max_keys` the least recently used key is forgotten, which forgives
// that one key and nobody else.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(double per_second, std::size_t max_keys = 10000);

    // Takes one token from the key's bucket (made full if new); false when empty.
    bool allow(const std::string& key, Clock::time_point now = Clock::now());
    bool knows(const std::string& key) const { return buckets_.count(key) > 0; }
    void forget(const std::string& key);
    std::size_t size() const { return buckets_.size(); }

private:
    struct Bucket {
        double tokens;
        Clock::time_point last;
        std::list<std::string>::iterator recency;
    };
    double rate_;
    double burst_;
    std::size_t max_keys_;
    std::unordered_map<std::string, Bucket> buckets_;
    std::list<std::string> recency_;  // most recently used first
};

// The HTTP API's limits. A token gets a bucket of its own only once the
// service accepted a publish made with it; until then, and for every bogus
// token, attempts are charged to the remote address. So made-up tokens can
// neither fill the table of real ones nor escape the limit.
class PublishRateLimits {
public:
    PublishRateLimits(double per_second, std::size_t max_keys = 10000);

    bool allow(const std::string& token, const std::string& remote_address);
    // The service accepted a publish with this token: it is a publisher's.
    void accepted(const std::string& token);

private:
    RateLimiter publishers_;  // by validated token
    RateLimiter strangers_;   // by remote address
};

}  // namespace herald::ingest
