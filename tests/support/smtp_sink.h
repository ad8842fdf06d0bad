#pragma once

// A real SMTP server for tests: Debian's aiosmtpd on a free loopback port,
// storing every message it accepts in a maildir that the test reads.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace herald::testing {

class SmtpSink {
public:
    // Starts the server and waits until it accepts connections; throws
    // std::runtime_error when it does not.
    explicit SmtpSink(const std::filesystem::path& dir);

    int port() const { return port_; }
    // Every message received so far, raw, oldest first.
    std::vector<std::string> messages() const;
    // Waits until at least `count` messages arrived; false at the deadline.
    bool wait_for_messages(std::size_t count, std::chrono::milliseconds deadline) const;

private:
    std::filesystem::path maildir_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> server_;
};

}  // namespace herald::testing
