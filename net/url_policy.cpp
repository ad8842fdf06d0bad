#include "net/url_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <memory>

namespace herald::ingest {
namespace {

struct Ipv4Block {
    std::uint32_t network;
    int prefix;
};

// Everything outside these is treated as public.
constexpr std::array kNonPublicIpv4 = {
    Ipv4Block{0x00000000, 8},   // "this" network
    Ipv4Block{0x0A000000, 8},   // private
    Ipv4Block{0x64400000, 10},  // shared address space (carrier NAT)
    Ipv4Block{0x7F000000, 8},   // loopback
    Ipv4Block{0xA9FE0000, 16},  // link-local
    Ipv4Block{0xAC100000, 12},  // private
    Ipv4Block{0xC0000000, 24},  // IETF protocol assignments
    Ipv4Block{0xC0A80000, 16},  // private
    Ipv4Block{0xC6120000, 15},  // benchmarking
    Ipv4Block{0xE0000000, 4},   // multicast
    Ipv4Block{0xF0000000, 4},   // reserved, broadcast
};

bool is_public_ipv4(std::uint32_t host_order) {
    for (const auto& block : kNonPublicIpv4) {
        const std::uint32_t mask = block.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - block.prefix);
        if ((host_order & mask) == block.network) return false;
    }
    return true;
}

std::uint32_t ipv4_at(const std::uint8_t* bytes) {
    return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 | std::uint32_t{bytes[2]} << 8 | bytes[3];
}

bool starts_with(const std::uint8_t* bytes, std::initializer_list<std::uint8_t> prefix) {
    std::size_t i = 0;
    for (auto byte : prefix)
        if (bytes[i++] != byte) return false;
    return true;
}

bool is_public_ipv6(const in6_addr& address) {
    const auto* bytes = address.s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&address)) return is_public_ipv4(ipv4_at(bytes + 12));
    if (starts_with(bytes, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}))  // NAT64 64:ff9b::/96
        return is_public_ipv4(ipv4_at(bytes + 12));
    if (IN6_IS_ADDR_UNSPECIFIED(&address) || IN6_IS_ADDR_LOOPBACK(&address)) return false;
    if (starts_with(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) return false;  // IPv4-compatible, deprecated
    if ((bytes[0] & 0xfe) == 0xfc) return false;                               // unique local fc00::/7
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) return false;           // link-local fe80::/10
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0xc0) return false;           // site-local, deprecated
    if (bytes[0] == 0xff) return false;                                        // multicast
    return true;
}

std::string printable(const sockaddr& address) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (address.sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text.data(), text.size());
    else if (address.sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text.data(), text.size());
    return text.data();
}

// What curl's open-socket callback needs: the policy and where to say why
// it refused.
struct ConnectGuard {
    bool allow_private_addresses;
    std::string* abort_reason;
};

curl_socket_t open_checked_socket(void* user, curlsocktype, curl_sockaddr* address) {
    const auto& guard = *static_cast<const ConnectGuard*>(user);
    const auto& target = address->addr;
    const bool internet = target.sa_family == AF_INET || target.sa_family == AF_INET6;
    if (!internet || (!guard.allow_private_addresses && !is_public_address(target))) {
        *guard.abort_reason = "the address " + printable(target) + " is not public (allow_private_addresses is off)";
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

struct UrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

}  // namespace

bool is_public_address(const sockaddr& address) {
    if (address.sa_family == AF_INET)
        return is_public_ipv4(ntohl(reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr));
    if (address.sa_family == AF_INET6) return is_public_ipv6(reinterpret_cast<const sockaddr_in6&>(address).sin6_addr);
    return false;
}

UrlPolicy::UrlPolicy(UrlPolicySettings settings) : settings_(settings) {}

std::optional<std::string> UrlPolicy::refuse(const std::string& url) const {
    std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
    if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return "not a valid URL: " + url;
    char* scheme = nullptr;
    if (curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) return "the URL has no scheme";
    const std::string scheme_text(scheme);
    curl_free(scheme);
    if (scheme_text != "http" && scheme_text != "https") return "only http and https URLs are allowed";
    char* host = nullptr;
    if (curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) return "the URL has no host";
    curl_free(host);
    return std::nullopt;
}

void UrlPolicy::apply(EasyHandle& handle, const std::string& url) const {
    CURL* easy = handle.get();
    handle.set_url(url);
    handle.collect_body(settings_.max_response_bytes);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, settings_.max_redirects);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count() * 1000));
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings_.max_response_bytes));
    // A proxy would be the address connected to, hiding the real one.
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    auto guard = std::make_shared<ConnectGuard>(ConnectGuard{settings_.allow_private_addresses, &handle.abort_reason()});
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, guard.get());
    handle.keep_alive(std::move(guard));
}

std::string UrlPolicy::describe_failure(const EasyHandle& handle, CURLcode result) const {
    if (result == CURLE_OK) return "";
    if (!handle.abort_reason().empty()) return handle.abort_reason();
    switch (result) {
    case CURLE_FILESIZE_EXCEEDED:
        return "the response is larger than " + std::to_string(settings_.max_response_bytes) + " bytes";
    case CURLE_TOO_MANY_REDIRECTS:
        return "more than " + std::to_string(settings_.max_redirects) + " redirects";
    case CURLE_OPERATION_TIMEDOUT:
        return "no complete answer within " + std::to_string(settings_.timeout.count()) + " s";
    case CURLE_UNSUPPORTED_PROTOCOL:
        return "a redirect to a scheme other than http or https";
    default:
        return curl_easy_strerror(result);
    }
}

}  // namespace herald::ingest
