#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "component/config.h"
#include "component/xml_element.h"
#include "storage/pubsub_records.h"

namespace herald::component {

// Reads a published <item>: an Atom <entry> or Herald's <notification>,
// with publish-options (herald#priority, herald#ttl, herald#ack, herald#renotify) taking precedence over
// the payload's own attributes. Fills everything but the publisher. Throws
// PubsubError: bad-request/invalid-payload, not-acceptable/payload-too-big.
storage::Item read_published_item(const std::string& node, const XmlElement& item,
                                   const XmlElement* publish_options, const Config& config,
                                   std::int64_t now_ms);

// The <item> an XMPP publisher would send with Herald's own <notification>:
// what the HTTP API and the feed poller publish. Empty fields are left out.
XmlElement notification_item(const std::string& title, const std::string& body, const std::string& link,
                             const std::optional<std::string>& priority = std::nullopt,
                             std::optional<std::int64_t> ttl = std::nullopt);

// Reminders of an unacknowledged item come at most this often.
inline constexpr std::int64_t kMinRenotifySeconds = 10;
// herald#renotify: whole seconds between reminders; throws PubsubError.
std::int64_t parse_renotify(const std::string& text, const Config& config);

// 16 random hex digits.
std::string random_item_id();

// The readable line a client shows: "[node] Title: body link".
std::string notification_text(const storage::Item& item);
// The same without the node: "Title: body link".
std::string notification_summary(const storage::Item& item);

// Fields of a submitted XEP-0004 form by var: the first value of each.
std::vector<std::pair<std::string, std::string>> form_values(const XmlElement& form);

}  // namespace herald::component
