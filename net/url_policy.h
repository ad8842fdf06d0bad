#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <curl/curl.h>

#include "net/easy_handle.h"

namespace herald::ingest {

struct UrlPolicySettings {
    // Private, loopback, link-local and other non-public addresses.
    bool allow_private_addresses = false;
    long max_redirects = 5;
    std::size_t max_response_bytes = 5 * 1024 * 1024;
    std::chrono::seconds timeout{30};
};

// True for an address anyone on the Internet could reach: not loopback,
// private (RFC 1918, unique local), link-local, shared (100.64/10),
// unspecified, multicast or reserved; IPv4-mapped and NAT64 IPv6 addresses
// are judged by the IPv4 address they carry.
bool is_public_address(const sockaddr& address);

// The rules for fetching a URL someone else chose (feeds, webhooks): http and
// https only, the address actually connected to checked against the policy
// (so neither redirects nor DNS get around it), bounded redirects, response
// size and total time.
class UrlPolicy {
public:
    explicit UrlPolicy(UrlPolicySettings settings);

    // Why `url` may not be fetched (not http/https, no host, malformed), or
    // nullopt. Addresses are checked at connect time, not here.
    std::optional<std::string> refuse(const std::string& url) const;

    // Sets the URL and every limit on `handle`, and collects the body.
    void apply(EasyHandle& handle, const std::string& url) const;

    // What went wrong with a transfer under this policy, for people ("" when
    // the transfer succeeded).
    std::string describe_failure(const EasyHandle& handle, CURLcode result) const;

    const UrlPolicySettings& settings() const { return settings_; }

private:
    UrlPolicySettings settings_;
};

}  // namespace herald::ingest
