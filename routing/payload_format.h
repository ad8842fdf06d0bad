#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/pubsub_records.h"

namespace herald::routing {

// What the service itself publishes (broadcasts, feed entries), as plain fields.
struct NotificationFields {
    std::string title;
    std::string body;
    std::string link;
    std::optional<std::string> priority;  // low, normal, high, urgent
};

// The stored payload format (Herald's <notification> element), written and
// read at the edge, so that the core never handles XML.
class PayloadFormat {
public:
    virtual ~PayloadFormat() = default;
    // The payload as stored and delivered.
    virtual std::string payload(const NotificationFields& fields) const = 0;
    // An item read from `fields` by the rules of a publish (defaults, sizes,
    // clean text); throws PubsubError as a publish would.
    virtual storage::Item published_item(const std::string& node, const NotificationFields& fields,
                                         std::int64_t now_ms) const = 0;
};

}  // namespace herald::routing
