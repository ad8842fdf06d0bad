#pragma once

// A bare XEP-0114 component connection for infrastructure tests: a socket,
// the stream header and the handshake, no XML library and no thread. It
// reads only while a test waits, into one buffer the test searches.
// Enough to see whether a server accepts a component and which of several
// connections a stanza reaches; Herald itself is the real component.

#include <chrono>
#include <string>
#include <string_view>

namespace herald::testing {

class RawComponent {
public:
    RawComponent(std::string component_host, std::string secret, int port);
    ~RawComponent();  // closes the socket

    RawComponent(const RawComponent&) = delete;
    RawComponent& operator=(const RawComponent&) = delete;

    // Connects to 127.0.0.1:port and completes the handshake. False, with
    // last_error(), when the server refuses or does not answer in time.
    bool connect(std::chrono::milliseconds deadline);

    // Writes raw XML (blocking). Throws std::runtime_error on failure.
    void send(std::string_view xml);

    // Reads until `text` appears in what arrived since connect(); false at
    // the deadline or when the server closes the stream.
    bool wait_for_text(std::string_view text, std::chrono::milliseconds deadline);

    // Reads whatever arrives within `wait`, without waiting for anything
    // in particular (for polling several connections in turn).
    void read_for(std::chrono::milliseconds wait);

    // Everything received after the handshake.
    const std::string& received() const { return received_; }
    bool connected() const { return fd_ >= 0 && !closed_by_server_; }
    const std::string& last_error() const { return last_error_; }

private:
    // One poll() and read(); false once the peer closed or on error.
    bool read_some(std::chrono::milliseconds wait);
    void close();

    const std::string host_;
    const std::string secret_;
    const int port_;
    int fd_ = -1;
    bool closed_by_server_ = false;
    std::string received_;
    std::string last_error_;
};

}  // namespace herald::testing
