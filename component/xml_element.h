#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::component {

// A stanza or payload as domain code sees it: gloox types stop at the edge.
// Each element carries its resolved namespace.
class XmlElement {
public:
    XmlElement() = default;
    explicit XmlElement(std::string name, std::string xmlns = {})
        : name_(std::move(name)), xmlns_(std::move(xmlns)) {}

    const std::string& name() const { return name_; }
    const std::string& xmlns() const { return xmlns_; }
    const std::string& text() const { return text_; }
    const std::vector<XmlElement>& children() const { return children_; }
    const std::vector<std::pair<std::string, std::string>>& attributes() const {
        return attributes_;
    }

    // Empty when absent.
    const std::string& attr(std::string_view name) const;
    bool has_attr(std::string_view name) const;
    // First child with that name (and namespace, when given); null if none.
    const XmlElement* child(std::string_view name, std::string_view xmlns = {}) const;

    XmlElement& set_attr(std::string name, std::string value);
    XmlElement& set_text(std::string text);
    XmlElement& add(XmlElement child);
    // Adds a child and returns it, for building nested payloads.
    XmlElement& add_child(std::string name, std::string xmlns = {});

    // Well-formed XML written verbatim after the children: a payload stored
    // as we serialized it, sent on unchanged.
    XmlElement& set_raw_inner(std::string xml);

    // Holds a credential shown to its owner once (an HTTP token): the link
    // never writes a stanza containing it to the log. Not serialized.
    XmlElement& mark_secret() {
        secret_ = true;
        return *this;
    }
    bool secret() const { return secret_; }

    // Serialized; namespaces are written where they differ from the parent's.
    std::string to_xml(std::string_view parent_xmlns = {}) const;

private:
    std::string name_;
    std::string xmlns_;
    std::string text_;
    std::vector<std::pair<std::string, std::string>> attributes_;
    std::vector<XmlElement> children_;
    std::string raw_inner_;
    bool secret_ = false;
};

// Valid UTF-8 without what XML forbids (see text::clean), markup escaped.
std::string escape_xml(std::string_view text);

}  // namespace herald::component
