#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/pubsub_records.h"

namespace herald::routing {

// How a user takes notifications: a chat message (the default, shown by
// every common client), a headline, or an XEP-0060 event for programs.
enum class MessageFormat { chat, headline, pubsub };

// "chat", "headline" or "pubsub"; anything else reads as chat.
MessageFormat message_format(const std::string& name);

// One notification on its way to one resource of a user. It refers to the
// router's item: an outbox renders it during the call and keeps nothing.
struct Delivery {
    const storage::Item& item;
    std::string to;  // full JID
    std::string id;  // unique per delivery attempt, see delivery_message_id
    MessageFormat format = MessageFormat::chat;
    bool waited = false;  // delivered late: a delay stamp and the publishing time in the body
};

// A delivery's message id names the item (its queue sequence number), so a
// reaction or a reply to the message leads back to it, days later too.
std::string delivery_message_id(std::int64_t seq, std::uint64_t attempt);
std::optional<std::int64_t> seq_of_message_id(std::string_view id);

// Called where the item is read from storage, off the io thread: a stored
// payload that is not well-formed (a row of an older version, or damaged) is
// emptied, so that what is sent rebuilds it from the fields.
void drop_malformed_payload(storage::Item& item);

}  // namespace herald::routing
