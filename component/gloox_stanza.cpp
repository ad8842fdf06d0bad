#include "component/gloox_stanza.h"

#include <gloox/tag.h>

#include "text/safe_text.h"

namespace herald::component {
namespace {

// Deeper than this, elements are converted without their children: the
// dispatcher refuses stanzas nested that deep anyway, and the conversion
// must not recurse as deep as a hostile stanza goes.
constexpr int kMaxConvertedDepth = 64;

XmlElement to_element(const gloox::Tag& tag, const std::string& parent_xmlns, bool top_level, int depth) {
    const auto declared = tag.xmlns();
    XmlElement element(tag.name(), top_level ? std::string() : declared.empty() ? parent_xmlns : declared);
    for (const auto* attribute : tag.attributes()) {
        const auto& name = attribute->name();
        if (name == "xmlns" || name.rfind("xmlns:", 0) == 0) continue;
        element.set_attr(name, text::clean(attribute->value()));
    }
    element.set_text(text::clean(tag.cdata()));
    if (depth < kMaxConvertedDepth)
        for (const auto* child : tag.children()) element.add(to_element(*child, element.xmlns(), false, depth + 1));
    return element;
}

}  // namespace

XmlElement stanza_from_tag(const gloox::Tag& stanza) { return to_element(stanza, {}, true, 0); }

}  // namespace herald::component
