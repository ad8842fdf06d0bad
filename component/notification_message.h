#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "component/xml_element.h"
#include "storage/pubsub_records.h"

namespace herald::component {

// How a user takes notifications: a chat message (the default, shown by
// every common client), a headline, or an XEP-0060 event for programs.
enum class MessageFormat { chat, headline, pubsub };

// "chat", "headline" or "pubsub"; anything else reads as chat.
MessageFormat message_format(const std::string& name);

struct DeliveryEnvelope {
    std::string from;
    std::string to;
    std::string id;  // unique per delivery attempt; also the origin-id
    MessageFormat format = MessageFormat::chat;
    bool waited = false;  // delivered late: a delay stamp and the publishing time in the body
};

// The <message> that delivers `item`: for chat and headline, a body for
// people, the payload inside <notification xmlns='urn:herald:0'>, origin-id,
// a receipt request and a store hint, never a pubsub#event child; for pubsub,
// the XEP-0060 event and no body. `item.payload` must be well-formed (see
// text::well_formed_fragment): when empty, the payload is rebuilt from the
// item's fields.
XmlElement notification_message(const storage::Item& item, const DeliveryEnvelope& envelope);

// A delivery's message id names the item (its queue sequence number), so a
// reaction or a reply to the message leads back to it, days later too.
std::string delivery_message_id(std::int64_t seq, std::uint64_t attempt);
std::optional<std::int64_t> seq_of_message_id(std::string_view id);

// 'Reply "ack" to acknowledge (or "ack ID").'
std::string ack_hint(const storage::Item& item);

// Called where the item is read from storage, off the io thread: a stored
// payload that is not well-formed XML (a row of an older version, or
// damaged) is emptied, so that what is sent rebuilds it from the fields.
void drop_malformed_payload(storage::Item& item);

// The item's payload as the child of `parent`: the stored one, or when empty
// a <notification xmlns='urn:herald:0'> rebuilt from title, body and link.
XmlElement& add_item_payload(XmlElement& parent, const storage::Item& item);

// The body: "[node] (urgent) Title: body link", with "(published ...)" on a
// line of its own when the item waited, and how to acknowledge on the last
// line when the item awaits it.
std::string notification_body(const storage::Item& item, bool waited);

}  // namespace herald::component
