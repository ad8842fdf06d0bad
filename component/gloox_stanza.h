#pragma once

#include "component/xml_element.h"

namespace gloox {
class Tag;
}

namespace herald::component {

// Where gloox types stop: a stanza gloox parsed, as Herald's XmlElement. The
// stanza itself keeps no namespace (it is the stream's); children without a
// declaration of their own inherit their parent's.
XmlElement stanza_from_tag(const gloox::Tag& stanza);

}  // namespace herald::component
