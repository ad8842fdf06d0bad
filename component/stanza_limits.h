#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "component/xml_element.h"

namespace herald::component {

// What one stanza from a user may carry, checked before any handler sees it.
struct StanzaLimits {
    std::size_t max_stanza_bytes = 128 * 1024;  // serialized
    std::size_t max_form_fields = 64;           // per XEP-0004 form
    std::size_t max_form_value_bytes = 8192;    // all the values of one field
};

struct LimitRefusal {
    std::string type;       // stanza error type
    std::string condition;  // RFC 6120 condition
    std::string reason;     // for the log
};

// A stanza over its size refuses with policy-violation; a data form (anywhere
// in it) with too many fields or too long a field with not-acceptable.
std::optional<LimitRefusal> check_limits(const XmlElement& stanza, std::size_t serialized_bytes,
                                         const StanzaLimits& limits);

}  // namespace herald::component
