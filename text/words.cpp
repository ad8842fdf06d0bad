#include "text/words.h"

#include <algorithm>

namespace herald::text {

namespace {

constexpr std::string_view kSpace = " \t\r\n";

}  // namespace

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return result;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    for (auto start = text.find_first_not_of(kSpace); start != std::string_view::npos;
         start = text.find_first_not_of(kSpace, start)) {
        const auto end = std::min(text.find_first_of(kSpace, start), text.size());
        words.emplace_back(text.substr(start, end - start));
        start = end;
    }
    return words;
}

}  // namespace herald::text
