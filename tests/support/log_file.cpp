#include "log_file.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace herald::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Upper bound on one wait between reads: inotify normally wakes us first.
constexpr std::chrono::milliseconds kMaxQuietWait{250};
// Without inotify, how often to re-read the file.
constexpr std::chrono::milliseconds kPollInterval{20};

// Wakes up when something in a directory changes (inotify); degrades to a
// short sleep when inotify is unavailable.
class DirectoryWatch {
public:
    explicit DirectoryWatch(const std::filesystem::path& directory)
        : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC))
    {
        if (fd_ >= 0 &&
            ::inotify_add_watch(fd_, directory.c_str(),
                                IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~DirectoryWatch()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    DirectoryWatch(const DirectoryWatch&) = delete;
    DirectoryWatch& operator=(const DirectoryWatch&) = delete;

    void wait(std::chrono::milliseconds at_most)
    {
        if (fd_ < 0) {
            std::this_thread::sleep_for(std::min(at_most, kPollInterval));
            return;
        }
        pollfd changed{fd_, POLLIN, 0};
        ::poll(&changed, 1, static_cast<int>(std::min(at_most, kMaxQuietWait).count()));
        char events[4096];
        while (::read(fd_, events, sizeof events) > 0) {
        }
    }

private:
    int fd_;
};

std::string read_from(const std::filesystem::path& path, std::uintmax_t offset)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in)
        return {};
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

LogFile::LogFile(std::filesystem::path path) : path_(std::move(path)) {}

std::uintmax_t LogFile::size() const
{
    std::error_code error;
    const auto bytes = std::filesystem::file_size(path_, error);
    return error ? 0 : bytes;
}

std::optional<std::string> LogFile::wait_for(std::string_view substring,
                                             std::chrono::milliseconds deadline,
                                             std::optional<std::uintmax_t> from)
{
    return wait_for_line(
        [substring](const std::string& line) { return line.find(substring) != std::string::npos; },
        deadline, from);
}

std::optional<std::string> LogFile::wait_for(const std::regex& pattern,
                                             std::chrono::milliseconds deadline,
                                             std::optional<std::uintmax_t> from)
{
    return wait_for_line(
        [&pattern](const std::string& line) { return std::regex_search(line, pattern); }, deadline,
        from);
}

template <typename Matcher>
std::optional<std::string> LogFile::wait_for_line(const Matcher& matches,
                                                  std::chrono::milliseconds deadline,
                                                  std::optional<std::uintmax_t> from)
{
    const auto give_up_at = Clock::now() + deadline;
    if (from)
        position_ = *from;
    const auto directory = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
    DirectoryWatch watch(directory);  // before the first read: no change can slip between

    std::uintmax_t pending_offset = position_;  // file offset of pending[0]
    std::string pending;                        // read, not yet a complete line
    while (true) {
        if (size() < pending_offset + pending.size()) {  // truncated or replaced: start over
            pending_offset = 0;
            pending.clear();
        }
        pending += read_from(path_, pending_offset + pending.size());

        std::size_t line_start = 0;
        for (std::size_t newline = pending.find('\n'); newline != std::string::npos;
             newline = pending.find('\n', line_start)) {
            std::string line = pending.substr(line_start, newline - line_start);
            line_start = newline + 1;
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (matches(line)) {
                position_ = pending_offset + line_start;
                return line;
            }
        }
        pending.erase(0, line_start);
        pending_offset += line_start;

        const auto remaining =
            std::chrono::ceil<std::chrono::milliseconds>(give_up_at - Clock::now());
        if (remaining.count() <= 0)
            return std::nullopt;
        watch.wait(remaining);
    }
}

std::string LogFile::contents(std::uintmax_t from) const { return read_from(path_, from); }

std::string LogFile::tail(std::size_t lines) const
{
    if (lines == 0)
        return {};
    const std::string all = contents();
    std::size_t start = all.size();
    if (start > 0 && all[start - 1] == '\n')
        --start;
    for (std::size_t seen = 0; start > 0; --start) {
        if (all[start - 1] == '\n' && ++seen == lines)
            break;
    }
    return all.substr(start);
}

std::optional<std::string> wait_for_line_in_file(const std::filesystem::path& path,
                                                 std::string_view substring,
                                                 std::chrono::milliseconds deadline,
                                                 std::uintmax_t start_offset)
{
    LogFile log(path);
    return log.wait_for(substring, deadline, start_offset);
}

}  // namespace herald::testing
