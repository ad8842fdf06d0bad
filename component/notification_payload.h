#pragma once

#include <cstdint>

#include "component/config.h"
#include "component/xml_element.h"
#include "storage/pubsub_records.h"

namespace herald::component {

// Reads a published <item>: an Atom <entry> or Herald's <notification>,
// with publish-options (herald#priority, herald#ttl) taking precedence over
// the payload's own attributes. Fills everything but the publisher. Throws
// PubsubError: bad-request/invalid-payload, not-acceptable/payload-too-big.
storage::Item read_published_item(const std::string& node, const XmlElement& item,
                                   const XmlElement* publish_options, const Config& config,
                                   std::int64_t now_ms);

// 16 random hex digits.
std::string random_item_id();

// The readable line a client shows: "[node] Title: body link".
std::string notification_text(const storage::Item& item);

// Fields of a submitted XEP-0004 form by var: the first value of each.
std::vector<std::pair<std::string, std::string>> form_values(const XmlElement& form);

}  // namespace herald::component
