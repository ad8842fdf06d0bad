#pragma once

// The baseline for raw routing: a XEP-0114 component that does nothing but
// the handshake and writing the stanzas it is given (no storage, no routing
// of its own, no parsing); what ejabberd sends it is read and dropped.

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace herald::bench {

class TrivialComponent {
public:
    // Connects and completes the handshake; throws std::runtime_error.
    TrivialComponent(int port, std::string jid, const std::string& secret);
    ~TrivialComponent();
    TrivialComponent(const TrivialComponent&) = delete;
    TrivialComponent& operator=(const TrivialComponent&) = delete;

    const std::string& jid() const { return jid_; }
    // Writes the stanza (blocking until the kernel took it); thread-safe.
    void send(const std::string& xml);

private:
    std::string read_until(const std::string& marker);
    void drain();

    const std::string jid_;
    int fd_ = -1;
    std::mutex write_mutex_;
    std::thread reader_;
};

}  // namespace herald::bench
