#pragma once

// The herald daemon under benchmark: its config for the private ejabberd
// (HTTP metrics on, per-JID rate limit out of the way), the process, its
// resident memory.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/log_file.h"
#include "tests/support/private_ejabberd.h"
#include "tests/support/process.h"

namespace herald::bench {

class HeraldProcess {
public:
    HeraldProcess(std::filesystem::path binary, const testing::PrivateEjabberd& ejabberd,
                  std::filesystem::path dir);
    ~HeraldProcess();

    // Starts herald and waits until ejabberd accepted its handshake; with a
    // wrapper (valgrind ...), that command runs herald.
    void start(const std::vector<std::string>& wrapper = {});
    // SIGTERM and wait (killed after 30 s).
    void stop();
    bool running() const { return process_ != nullptr; }
    // 0 when not running.
    pid_t pid() const { return process_ ? process_->pid() : 0; }

    int http_port() const { return http_port_; }
    const std::filesystem::path& database_path() const { return database_path_; }
    // VmRSS from /proc, in bytes.
    std::int64_t resident_bytes() const;
    std::string log_tail() { return log_.tail(); }
    // Waits for a log line containing text, written since the last start().
    bool wait_log(std::string_view text, std::chrono::milliseconds deadline);

private:
    const std::filesystem::path binary_;
    const std::filesystem::path dir_;
    const std::filesystem::path config_path_;
    const std::filesystem::path database_path_;
    int http_port_ = 0;
    std::uintmax_t start_mark_ = 0;
    testing::LogFile log_;
    std::unique_ptr<testing::ChildProcess> process_;
};

// A TCP port free on 127.0.0.1 right now.
int free_loopback_port();

}  // namespace herald::bench
