#include "storage/postgresql/queue_notice.h"

#include <charconv>

namespace herald::storage::pg {

namespace {

constexpr std::size_t kMaxPayload = 7000;  // PostgreSQL refuses 8000 bytes and more

}  // namespace

std::string queue_notice(std::string_view instance, const std::vector<std::int64_t>& items) {
    std::string payload(instance);
    for (const auto item : items) {
        payload += ' ';
        payload += std::to_string(item);
        if (payload.size() > kMaxPayload) return std::string(instance) + " *";
    }
    return payload;
}

std::optional<QueueChange> read_queue_notice(std::string_view payload, std::string_view instance) {
    const auto space = payload.find(' ');
    if (payload.substr(0, space) == instance) return std::nullopt;
    QueueChange change;
    if (space == std::string_view::npos) return change;
    auto rest = payload.substr(space + 1);
    while (!rest.empty()) {
        const auto end = rest.find(' ');
        const auto word = rest.substr(0, end);
        std::int64_t item = 0;
        if (word == "*" || std::from_chars(word.data(), word.data() + word.size(), item).ec != std::errc()) {
            change.everything = true;
            change.items.clear();
            return change;
        }
        change.items.push_back(item);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    return change;
}

}  // namespace herald::storage::pg
