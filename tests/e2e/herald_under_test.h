#pragma once

// The herald daemon as a test sees it: a config written for a private
// ejabberd (or one node of a private cluster), the process, and its log file
// to wait on.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/log_file.h"
#include "tests/support/private_ejabberd.h"
#include "tests/support/process.h"

namespace herald::testing {

class HeraldUnderTest {
public:
    // Where herald attaches: a component port on 127.0.0.1, e.g. one node of
    // a PrivateCluster (component host, secret and domain are the cluster's).
    struct Attachment {
        std::string component_host;
        std::string component_secret;
        int component_port = 0;
        std::string domain;
    };

    // `extra_config`: further YAML sections (pubsub:, delivery:, ...);
    // `database_dir`: where herald.db lives when not in `dir` (e.g. a small
    // file system that a test fills up); `postgresql_connection`, when given:
    // storage.backend postgresql on that database instead (herald.db unused).
    HeraldUnderTest(const PrivateEjabberd& ejabberd, std::filesystem::path dir,
                    std::string log_level = "debug", const std::string& extra_config = {},
                    const std::filesystem::path& database_dir = {},
                    const std::string& postgresql_connection = {});
    // The same, attached to `attachment` (with no database_dir).
    HeraldUnderTest(const Attachment& attachment, std::filesystem::path dir, std::string log_level = "debug",
                    const std::string& extra_config = {}, const std::string& postgresql_connection = {});
    ~HeraldUnderTest();

    // Starts herald and waits until its handshake with ejabberd is accepted.
    void start();
    // SIGTERM; returns the exit status (nullopt if it did not exit in time).
    std::optional<int> stop();
    void kill_hard();
    // SIGSTOP / SIGCONT: herald holds its sockets but does nothing.
    void freeze();
    void thaw();
    bool running() const { return process_ != nullptr; }

    LogFile& log() { return log_; }
    // Waits for a log line containing `text` after the current read position.
    std::optional<std::string> wait_log(std::string_view text,
                                        std::chrono::milliseconds deadline = std::chrono::seconds(15));
    const std::filesystem::path& config_path() const { return config_path_; }
    const std::filesystem::path& database_path() const { return database_path_; }

private:
    // `component_config`: the component and storage sections, for the
    // database at database_path_.
    void write_config(const std::string& component_config, const std::string& domain, const std::string& log_level,
                      const std::string& extra_config, const std::string& postgresql_connection);

    std::filesystem::path dir_;
    std::filesystem::path config_path_;
    std::filesystem::path database_path_;
    LogFile log_;
    std::unique_ptr<ChildProcess> process_;
};

}  // namespace herald::testing
