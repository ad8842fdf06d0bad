#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::ingest {

inline constexpr std::string_view kPubsubNs = "http://jabber.org/protocol/pubsub";
inline constexpr std::string_view kHeraldNotificationNs = "urn:herald:0";
inline constexpr std::string_view kPublishOptionsFormType =
    "http://jabber.org/protocol/pubsub#publish-options";

enum class NotificationPriority { low, normal, high, urgent };

std::string_view priority_name(NotificationPriority priority);
std::optional<NotificationPriority> priority_from_name(std::string_view name);

// Herald's own payload, <notification xmlns='urn:herald:0'/>. Absent fields
// are left out of the XML, so the service's defaults apply.
struct Notification {
    std::optional<std::string> title;
    std::optional<std::string> body;
    std::optional<std::string> link;
    std::optional<NotificationPriority> priority;
    std::optional<std::int64_t> ttl_seconds;

    // Herald refuses a notification with neither title nor body.
    bool has_content() const { return title || body; }
};

// Asking for a person's acknowledgement: publish-options only, never the
// payload.
struct AcknowledgementRequest {
    bool required = false;                         // herald#ack = required
    std::optional<std::int64_t> renotify_seconds;  // herald#renotify
};

struct PublishRequest {
    std::string service;  // the component's JID, e.g. notify.example.org
    std::string node;
    std::optional<std::string> item_id;
    Notification notification;
    AcknowledgementRequest acknowledgement;
};

// The XEP-0060 publish <iq type='set'/>, ready for the wire. Priority and ttl
// go into the payload's attributes and, as the fields herald#priority and
// herald#ttl, into <publish-options>; an acknowledgement asked for goes there
// only (herald#ack, herald#renotify). With none of these there is no
// <publish-options> at all. All text is escaped (see xml_escaped).
std::string publish_iq_xml(const PublishRequest& request, std::string_view stanza_id);

}  // namespace herald::ingest
