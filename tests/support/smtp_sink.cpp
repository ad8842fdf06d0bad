#include "tests/support/smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace herald::testing {
namespace {

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback(0);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("no free port for the SMTP sink");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const auto address = loopback(port);
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    if (fd >= 0) ::close(fd);
    return ok;
}

}  // namespace

SmtpSink::SmtpSink(const std::filesystem::path& dir) : maildir_(dir / "maildir"), port_(free_port()) {
    std::filesystem::create_directories(dir);
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                                 "127.0.0.1:" + std::to_string(port_), "-c", "aiosmtpd.handlers.Mailbox",
                                 maildir_.string()},
        dir / "smtp-sink.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!accepts_connections(port_)) {
        if (!server_->running() || std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("the SMTP sink (aiosmtpd) did not start; see " + (dir / "smtp-sink.log").string());
        // Polling a port that is about to open: there is no event to wait on.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::vector<std::string> SmtpSink::messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto* sub : {"new", "cur"}) {
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator(maildir_ / sub, error))
            files.push_back(entry.path());
    }
    // Maildir names start with the delivery time in seconds; ties keep name order.
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
    std::vector<std::string> texts;
    for (const auto& file : files) {
        std::ifstream in(file);
        std::ostringstream text;
        text << in.rdbuf();
        texts.push_back(text.str());
    }
    return texts;
}

bool SmtpSink::wait_for_messages(std::size_t count, std::chrono::milliseconds deadline) const {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (messages().size() < count) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

}  // namespace herald::testing
