#pragma once

#include <optional>

#include "component/xml_element.h"
#include "routing/acknowledgements.h"

namespace herald::component {

// What a <message> asks to acknowledge, if anything: its type, <body/>,
// XEP-0461 <reply/> and XEP-0444 <reactions/>, read by routing::read_ack_request.
std::optional<routing::AckRequest> read_ack_request(const XmlElement& message);

}  // namespace herald::component
