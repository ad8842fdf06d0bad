#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "component/xml_element.h"
#include "routing/delivery.h"
#include "storage/pubsub_records.h"

namespace herald::agents {

using routing::MessageFormat;

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
// routing::drop_malformed_payload): when empty, the payload is rebuilt from
// the item's fields.
component::XmlElement notification_message(const storage::Item& item, const DeliveryEnvelope& envelope);

// The item's payload as the child of `parent`: the stored one, or when empty
// a <notification xmlns='urn:herald:0'> rebuilt from title, body and link.
component::XmlElement& add_item_payload(component::XmlElement& parent, const storage::Item& item);

// The <item> an XMPP publisher would send with Herald's own <notification>:
// what the HTTP API and the feed poller publish. Empty fields are left out.
component::XmlElement notification_item(const std::string& title, const std::string& body, const std::string& link,
                                        const std::optional<std::string>& priority = std::nullopt,
                                        std::optional<std::int64_t> ttl = std::nullopt);

}  // namespace herald::agents
