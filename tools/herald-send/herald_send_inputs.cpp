#include "tools/herald-send/herald_send_inputs.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace herald::ingest {

namespace {

using Clock = std::chrono::steady_clock;

// Closes the descriptor it owns.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string system_error_text() { return std::strerror(errno); }

// Everything `fd` gives until end of file, waiting for data no later than
// `deadline`. `what` names the source in messages.
std::string read_all(int fd, const std::string& what, Clock::time_point deadline) {
    std::string content;
    char buffer[16384];
    while (true) {
        const auto remaining =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (remaining.count() <= 0)
            throw InputError(ExitCode::temporary_failure,
                             "timed out reading the body from " + what +
                                 " (see --timeout; --body TEXT or --body \"\" leave stdin alone)");
        pollfd readable{fd, POLLIN, 0};
        const int ready = ::poll(&readable, 1, static_cast<int>(remaining.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0)
            throw InputError(ExitCode::no_input, "cannot read " + what + ": " + system_error_text());
        if (ready == 0) continue;
        const ssize_t count = ::read(fd, buffer, sizeof buffer);
        if (count < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (count < 0)
            throw InputError(ExitCode::no_input, "cannot read " + what + ": " + system_error_text());
        if (count == 0) return content;
        content.append(buffer, static_cast<std::size_t>(count));
        if (content.size() > kMaxBodyBytes)
            throw InputError(ExitCode::data_error, "the body from " + what + " is larger than " +
                                                       std::to_string(kMaxBodyBytes) + " bytes");
    }
}

std::optional<std::string> without_trailing_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) return std::nullopt;
    return text;
}

}  // namespace

std::string read_password(const HeraldSendOptions& options, const EnvironmentLookup& environment) {
    if (!options.password_file) {
        const auto password = environment(kPasswordVariable);
        if (!password || password->empty())
            throw InputError(ExitCode::usage, std::string(kPasswordVariable) + " is not set");
        return *password;
    }
    const std::string& path = *options.password_file;
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw InputError(ExitCode::no_input, "cannot read the password file " + path + ": " +
                                                 system_error_text());
    std::string password;
    std::getline(file, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty())
        throw InputError(ExitCode::no_input, "the password file " + path + " starts with an empty line");
    return password;
}

std::optional<std::string> read_body(const BodySource& source, Clock::time_point deadline) {
    switch (source.kind) {
        case BodySource::Kind::text:
            return source.value.empty() ? std::nullopt : std::optional<std::string>(source.value);
        case BodySource::Kind::standard_input_if_piped:
            if (::isatty(STDIN_FILENO)) return std::nullopt;
            return without_trailing_newlines(read_all(STDIN_FILENO, "stdin", deadline));
        case BodySource::Kind::standard_input:
            return without_trailing_newlines(read_all(STDIN_FILENO, "stdin", deadline));
        case BodySource::Kind::file: {
            const FileDescriptor file(::open(source.value.c_str(), O_RDONLY | O_CLOEXEC));
            if (file.get() < 0)
                throw InputError(ExitCode::no_input, "cannot read the body file " + source.value +
                                                         ": " + system_error_text());
            return without_trailing_newlines(read_all(file.get(), source.value, deadline));
        }
    }
    return std::nullopt;
}

}  // namespace herald::ingest
