#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "agents/xmpp_notification_message.h"
#include "routing/settings.h"
#include "component/xml_element.h"
#include "routing/item_id.h"
#include "routing/notification_text.h"
#include "routing/payload_format.h"
#include "storage/pubsub_records.h"

namespace herald::component {

using agents::notification_item;
using routing::notification_summary;
using routing::notification_text;
using routing::random_item_id;

// Reads a published <item>: an Atom <entry> or Herald's <notification>,
// with publish-options (herald#priority, herald#ttl, herald#ack, herald#renotify) taking precedence over
// the payload's own attributes. Fills everything but the publisher. Throws
// PubsubError: bad-request/invalid-payload, not-acceptable/payload-too-big.
storage::Item read_published_item(const std::string& node, const XmlElement& item,
                                   const XmlElement* publish_options, const routing::PubsubSettings& pubsub,
                                   std::int64_t now_ms);

// Reminders of an unacknowledged item come at most this often.
inline constexpr std::int64_t kMinRenotifySeconds = 10;
// herald#renotify: whole seconds between reminders; throws PubsubError.
std::int64_t parse_renotify(const std::string& text, const routing::PubsubSettings& pubsub);

// Herald's <notification> payload for what the service publishes itself.
class XmlPayloadFormat final : public routing::PayloadFormat {
public:
    explicit XmlPayloadFormat(const routing::PubsubSettings& pubsub) : pubsub_(pubsub) {}
    std::string payload(const routing::NotificationFields& fields) const override;
    storage::Item published_item(const std::string& node, const routing::NotificationFields& fields,
                                 std::int64_t now_ms) const override;

private:
    const routing::PubsubSettings& pubsub_;
};

// Fields of a submitted XEP-0004 form by var: the first value of each.
std::vector<std::pair<std::string, std::string>> form_values(const XmlElement& form);

}  // namespace herald::component
