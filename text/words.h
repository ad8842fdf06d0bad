#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace herald::text {

// The longest message read as a command (or as an acknowledgement).
inline constexpr std::size_t kMaxCommandBytes = 4 * 1024;
// At most this much of what a person wrote is said back in an answer.
inline constexpr std::size_t kMaxQuotedBytes = 40;

// Without leading and trailing spaces, tabs and line ends.
std::string_view trim(std::string_view text);
// ASCII letters in lower case, other bytes as they are.
std::string lower(std::string_view text);
// The words between spaces, tabs and line ends.
std::vector<std::string> split_words(std::string_view text);

}  // namespace herald::text
