#pragma once

// The inputs herald-send reads before it connects: the password and the body.

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include "tools/exit_code.h"
#include "tools/herald-send/herald_send_options.h"

namespace herald::ingest {

// A body larger than this is refused (exit 65) rather than sent.
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

class InputError : public std::runtime_error {
public:
    InputError(ExitCode exit_code, const std::string& message)
        : std::runtime_error(message), exit_code_(exit_code) {}
    ExitCode exit_code() const { return exit_code_; }

private:
    ExitCode exit_code_;
};

// The first line of --password-file (without its line ending), else
// HERALD_PASSWORD. Throws InputError; the password is never in a message.
std::string read_password(const HeraldSendOptions& options, const EnvironmentLookup& environment);

// The body as the options say; nullopt when there is none (empty, or stdin
// is a terminal and was not asked for). Trailing newlines are dropped.
// Reading stdin or a pipe gives up at `deadline`. Throws InputError.
std::optional<std::string> read_body(const BodySource& source,
                                     std::chrono::steady_clock::time_point deadline);

}  // namespace herald::ingest
