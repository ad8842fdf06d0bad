#include "component/gloox_stanza.h"

#include <gloox/tag.h>

namespace herald::component {
namespace {

XmlElement to_element(const gloox::Tag& tag, const std::string& parent_xmlns, bool top_level) {
    const auto declared = tag.xmlns();
    XmlElement element(tag.name(), top_level ? std::string() : declared.empty() ? parent_xmlns : declared);
    for (const auto* attribute : tag.attributes()) {
        const auto& name = attribute->name();
        if (name == "xmlns" || name.rfind("xmlns:", 0) == 0) continue;
        element.set_attr(name, attribute->value());
    }
    element.set_text(tag.cdata());
    for (const auto* child : tag.children()) element.add(to_element(*child, element.xmlns(), false));
    return element;
}

}  // namespace

XmlElement stanza_from_tag(const gloox::Tag& stanza) { return to_element(stanza, {}, true); }

}  // namespace herald::component
