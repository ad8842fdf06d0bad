#include "routing/delivery.h"

#include <charconv>

#include "text/safe_text.h"

namespace herald::routing {
namespace {

constexpr std::string_view kDeliveryIdPrefix = "herald-n";

}  // namespace

MessageFormat message_format(const std::string& name) {
    if (name == "headline") return MessageFormat::headline;
    if (name == "pubsub") return MessageFormat::pubsub;
    return MessageFormat::chat;
}

std::string delivery_message_id(std::int64_t seq, std::uint64_t attempt) {
    return std::string(kDeliveryIdPrefix) + std::to_string(seq) + "-" + std::to_string(attempt);
}

std::optional<std::int64_t> seq_of_message_id(std::string_view id) {
    if (!id.starts_with(kDeliveryIdPrefix)) return std::nullopt;
    id.remove_prefix(kDeliveryIdPrefix.size());
    std::int64_t seq = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), seq);
    if (error != std::errc() || end == id.data() || end == id.data() + id.size() || *end != '-') return std::nullopt;
    return seq;
}

void drop_malformed_payload(storage::Item& item) {
    if (!text::well_formed_fragment(item.payload)) item.payload.clear();
}

}  // namespace herald::routing
