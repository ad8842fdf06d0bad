#include "raw_component.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/sha.h>

namespace herald::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::string sha1_hex(const std::string& data)
{
    std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
    std::string hex;
    for (const unsigned char byte : digest) {
        char pair[3];
        std::snprintf(pair, sizeof pair, "%02x", byte);
        hex += pair;
    }
    return hex;
}

// The value of attribute `name` in the first tag of `xml` that has it.
std::string attribute(const std::string& xml, const std::string& name)
{
    for (const char quote : {'\'', '"'}) {
        const std::string key = " " + name + "=" + quote;
        const auto start = xml.find(key);
        if (start == std::string::npos)
            continue;
        const auto end = xml.find(quote, start + key.size());
        if (end != std::string::npos)
            return xml.substr(start + key.size(), end - start - key.size());
    }
    return {};
}

std::chrono::milliseconds left_until(Clock::time_point deadline)
{
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

}  // namespace

RawComponent::RawComponent(std::string component_host, std::string secret, int port)
    : host_(std::move(component_host)), secret_(std::move(secret)), port_(port)
{
}

RawComponent::~RawComponent() { close(); }

bool RawComponent::connect(std::chrono::milliseconds deadline)
{
    close();
    closed_by_server_ = false;
    received_.clear();
    last_error_.clear();
    const auto give_up_at = Clock::now() + deadline;

    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        last_error_ = "connect to 127.0.0.1:" + std::to_string(port_) + ": " + std::strerror(errno);
        close();
        return false;
    }
    send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
         "xmlns:stream='http://etherx.jabber.org/streams' to='" + host_ + "'>");

    // The server's stream header carries the id the handshake hashes.
    std::string id;
    while (id.empty()) {
        if (!read_some(left_until(give_up_at)) || Clock::now() >= give_up_at) {
            last_error_ = "no stream header from 127.0.0.1:" + std::to_string(port_) + "; got: " + received_;
            close();
            return false;
        }
        if (const auto header = received_.find("<stream:stream"); header != std::string::npos &&
                                                                  received_.find('>', header) != std::string::npos)
            id = attribute(received_.substr(header, received_.find('>', header) - header), "id");
    }
    received_.clear();
    send("<handshake>" + sha1_hex(id + secret_) + "</handshake>");
    while (received_.find("<handshake") == std::string::npos) {
        if (received_.find("<stream:error") != std::string::npos || !read_some(left_until(give_up_at)) ||
            Clock::now() >= give_up_at) {
            last_error_ = "handshake refused or unanswered by 127.0.0.1:" + std::to_string(port_) +
                          "; got: " + received_;
            close();
            return false;
        }
    }
    received_.erase(0, received_.find('>', received_.find("<handshake")) + 1);
    return true;
}

void RawComponent::send(std::string_view xml)
{
    while (!xml.empty()) {
        const ssize_t written = ::send(fd_, xml.data(), xml.size(), MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            throw std::runtime_error("RawComponent: send: " + std::string(std::strerror(errno)));
        }
        xml.remove_prefix(static_cast<std::size_t>(written));
    }
}

bool RawComponent::wait_for_text(std::string_view text, std::chrono::milliseconds deadline)
{
    const auto give_up_at = Clock::now() + deadline;
    while (received_.find(text) == std::string::npos) {
        if (Clock::now() >= give_up_at || !read_some(left_until(give_up_at)))
            return received_.find(text) != std::string::npos;
    }
    return true;
}

void RawComponent::read_for(std::chrono::milliseconds wait)
{
    const auto give_up_at = Clock::now() + wait;
    while (Clock::now() < give_up_at && read_some(left_until(give_up_at))) {
    }
}

bool RawComponent::read_some(std::chrono::milliseconds wait)
{
    if (fd_ < 0 || closed_by_server_)
        return false;
    pollfd readable{fd_, POLLIN, 0};
    const int ready = ::poll(&readable, 1, static_cast<int>(wait.count()));
    if (ready <= 0)
        return ready == 0 || errno == EINTR;
    char buffer[16384];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got > 0) {
        received_.append(buffer, static_cast<std::size_t>(got));
        return true;
    }
    if (got < 0 && errno == EINTR)
        return true;
    closed_by_server_ = true;
    return false;
}

void RawComponent::close()
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

}  // namespace herald::testing
