#include "component/xml_element.h"

#include "text/safe_text.h"

namespace herald::component {

const std::string& XmlElement::attr(std::string_view name) const {
    static const std::string empty;
    for (const auto& [key, value] : attributes_)
        if (key == name) return value;
    return empty;
}

bool XmlElement::has_attr(std::string_view name) const {
    for (const auto& attribute : attributes_)
        if (attribute.first == name) return true;
    return false;
}

const XmlElement* XmlElement::child(std::string_view name, std::string_view xmlns) const {
    for (const auto& element : children_)
        if (element.name_ == name && (xmlns.empty() || element.xmlns_ == xmlns)) return &element;
    return nullptr;
}

XmlElement& XmlElement::set_attr(std::string name, std::string value) {
    for (auto& attribute : attributes_)
        if (attribute.first == name) {
            attribute.second = std::move(value);
            return *this;
        }
    attributes_.emplace_back(std::move(name), std::move(value));
    return *this;
}

XmlElement& XmlElement::set_text(std::string text) {
    text_ = std::move(text);
    return *this;
}

XmlElement& XmlElement::set_raw_inner(std::string xml) {
    raw_inner_ = std::move(xml);
    return *this;
}

XmlElement& XmlElement::add(XmlElement child) {
    children_.push_back(std::move(child));
    return *this;
}

XmlElement& XmlElement::add_child(std::string name, std::string xmlns) {
    return children_.emplace_back(std::move(name), std::move(xmlns));
}

std::string escape_xml(std::string_view text) { return text::xml_escaped(text); }

// Output guard: an element or attribute whose name XML cannot carry (from a
// peer's parser that let it through) is left out, not written broken.
std::string XmlElement::to_xml(std::string_view parent_xmlns) const {
    if (!text::is_xml_name(name_)) return {};
    std::string out = "<" + name_;
    if (!xmlns_.empty() && xmlns_ != parent_xmlns) out += " xmlns='" + escape_xml(xmlns_) + "'";
    for (const auto& [key, value] : attributes_)
        if (text::is_xml_name(key)) out += " " + key + "='" + escape_xml(value) + "'";
    if (text_.empty() && children_.empty() && raw_inner_.empty()) return out + "/>";
    out += ">";
    out += escape_xml(text_);
    const std::string_view scope = xmlns_.empty() ? parent_xmlns : std::string_view(xmlns_);
    for (const auto& element : children_) out += element.to_xml(scope);
    out += text::clean_markup(raw_inner_);
    return out + "</" + name_ + ">";
}

}  // namespace herald::component
