#pragma once

// Waiting for a line to show up in a log file another process writes.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace herald::testing {

// Reads a growing text file by complete lines. Remembers where the last
// match ended, so consecutive wait_for calls find successive occurrences:
//
//   LogFile log(path);
//   auto mark = log.size();            // before the action
//   ... act ...
//   auto line = log.wait_for("presence", 5s, mark);
//
// Waiting uses inotify on the file's directory (a short poll is the fallback),
// so it returns as soon as the line is written.
class LogFile {
public:
    explicit LogFile(std::filesystem::path path);

    const std::filesystem::path& path() const { return path_; }

    // Current size in bytes (0 when the file does not exist yet).
    std::uintmax_t size() const;

    // Offset where the next search starts (end of the last matched line).
    std::uintmax_t position() const { return position_; }

    // Waits for a complete line containing `substring` (or matching
    // `pattern`) at or after `from` (default: position()). Returns the line
    // without its newline, and moves position() past it; nullopt at deadline.
    std::optional<std::string> wait_for(std::string_view substring,
                                        std::chrono::milliseconds deadline,
                                        std::optional<std::uintmax_t> from = std::nullopt);
    std::optional<std::string> wait_for(const std::regex& pattern,
                                        std::chrono::milliseconds deadline,
                                        std::optional<std::uintmax_t> from = std::nullopt);

    // The file from `from` to its end ("" when missing), e.g. for messages.
    std::string contents(std::uintmax_t from = 0) const;
    // Its last `lines` lines.
    std::string tail(std::size_t lines = 40) const;

private:
    template <typename Matcher>
    std::optional<std::string> wait_for_line(const Matcher& matches,
                                             std::chrono::milliseconds deadline,
                                             std::optional<std::uintmax_t> from);

    std::filesystem::path path_;
    std::uintmax_t position_ = 0;
};

// One-shot form of LogFile::wait_for.
std::optional<std::string> wait_for_line_in_file(const std::filesystem::path& path,
                                                 std::string_view substring,
                                                 std::chrono::milliseconds deadline,
                                                 std::uintmax_t start_offset = 0);

}  // namespace herald::testing
