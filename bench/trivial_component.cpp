#include "bench/trivial_component.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/sha.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace herald::bench {

namespace {

std::string sha1_hex(const std::string& text) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char byte : digest) {
        hex.push_back(kHex[byte >> 4]);
        hex.push_back(kHex[byte & 15]);
    }
    return hex;
}

// The value of attribute `name` in the first tag of `xml` ("" if absent).
std::string attribute_of(const std::string& xml, const std::string& name) {
    for (const char quote : {'\'', '"'}) {
        const std::string key = " " + name + "=" + quote;
        const auto at = xml.find(key);
        if (at == std::string::npos) continue;
        const auto start = at + key.size();
        return xml.substr(start, xml.find(quote, start) - start);
    }
    return "";
}

}  // namespace

TrivialComponent::TrivialComponent(int port, std::string jid, const std::string& secret) : jid_(std::move(jid)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("trivial component: cannot connect to port " + std::to_string(port));
    }
    const int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
         "xmlns:stream='http://etherx.jabber.org/streams' to='" + jid_ + "'>");
    const auto header = read_until(">");
    const auto stream_id = attribute_of(header, "id");
    if (stream_id.empty()) throw std::runtime_error("trivial component: no stream id in " + header);
    send("<handshake>" + sha1_hex(stream_id + secret) + "</handshake>");
    const auto answer = read_until("handshake");
    if (answer.find("error") != std::string::npos)
        throw std::runtime_error("trivial component: handshake refused: " + answer);
    reader_ = std::thread([this] { drain(); });
}

TrivialComponent::~TrivialComponent() {
    send("</stream:stream>");
    ::shutdown(fd_, SHUT_RDWR);
    if (reader_.joinable()) reader_.join();
    ::close(fd_);
}

void TrivialComponent::send(const std::string& xml) {
    std::lock_guard lock(write_mutex_);
    std::size_t sent = 0;
    while (sent < xml.size()) {
        const auto n = ::send(fd_, xml.data() + sent, xml.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(std::string("trivial component: write failed: ") + std::strerror(errno));
        sent += static_cast<std::size_t>(n);
    }
}

std::string TrivialComponent::read_until(const std::string& marker) {
    std::string received;
    char buffer[4096];
    while (received.find(marker) == std::string::npos) {
        const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) throw std::runtime_error("trivial component: stream closed: " + received);
        received.append(buffer, static_cast<std::size_t>(n));
    }
    return received;
}

void TrivialComponent::drain() {
    char buffer[65536];
    while (::recv(fd_, buffer, sizeof buffer, 0) > 0) {
    }
}

}  // namespace herald::bench
