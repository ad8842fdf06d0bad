#pragma once

// The XML the load driver sends, and what it reads back out of stanzas.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::bench {

// Monotonic nanoseconds, comparable across the driver's threads.
std::int64_t now_ns();

// Herald's own payload; the title carries the send time for latency.
std::string notification_payload(std::int64_t sent_ns);
std::string publish_iq(std::string_view to, std::string_view node, std::string_view payload,
                       std::string_view id);
// What herald sends a subscriber for one item (PROTOCOL.md, "Delivery"),
// for the trivial component that stands for raw routing.
std::string notification_message(std::string_view from, std::string_view to, std::string_view node,
                                 std::string_view item_id, std::int64_t sent_ns);
std::string receipt(std::string_view to, std::string_view id);

// The send time written by notification_payload, read back
// from a message body.
std::optional<std::int64_t> sent_stamp(std::string_view body);

}  // namespace herald::bench
