#include "received_stanza.h"

#include "component/xml_element.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <utility>

#include "strophe_handles.h"

namespace herald::testing {

namespace detail {

struct ElementNode {
    // Mixed content in document order: text, or the index of a child element.
    struct Content {
        std::string text;
        std::optional<std::size_t> element;
    };

    std::string name;
    std::string ns;
    std::string parent_ns;
    std::vector<ReceivedStanza::Attribute> attributes;
    std::string text;
    std::vector<std::shared_ptr<const ElementNode>> elements;
    std::vector<Content> content;
};

}  // namespace detail

namespace {

using detail::ElementNode;
using NodePtr = std::shared_ptr<const ElementNode>;

struct Predicate {
    std::string attribute;
    std::optional<std::string> value;  // nullopt: the attribute only has to exist
};

struct Step {
    std::string name;  // "*" matches any element
    std::vector<Predicate> predicates;
};

[[noreturn]] void bad_path(std::string_view path, const std::string& why)
{
    throw std::invalid_argument("bad stanza path \"" + std::string(path) + "\": " + why);
}

bool is_name_char(char c)
{
    return c != '/' && c != '[' && c != ']' && c != '@' && c != '=' && c != '\'' && c != '"' &&
           c != ' ';
}

std::string take_name(std::string_view path, std::size_t& pos)
{
    const std::size_t start = pos;
    while (pos < path.size() && is_name_char(path[pos]))
        ++pos;
    return std::string(path.substr(start, pos - start));
}

Predicate parse_predicate(std::string_view path, std::size_t& pos)
{
    // pos is just after '['
    if (pos >= path.size() || path[pos] != '@')
        bad_path(path, "predicates look like [@name='value'] or [@name]");
    ++pos;
    Predicate predicate;
    predicate.attribute = take_name(path, pos);
    if (predicate.attribute.empty())
        bad_path(path, "missing attribute name at offset " + std::to_string(pos));
    if (pos < path.size() && path[pos] == '=') {
        ++pos;
        if (pos >= path.size() || (path[pos] != '\'' && path[pos] != '"'))
            bad_path(path, "attribute value must be quoted");
        const char quote = path[pos++];
        const std::size_t closing = path.find(quote, pos);
        if (closing == std::string_view::npos)
            bad_path(path, "unterminated quote");
        predicate.value = std::string(path.substr(pos, closing - pos));
        pos = closing + 1;
    }
    if (pos >= path.size() || path[pos] != ']')
        bad_path(path, "missing ']' at offset " + std::to_string(pos));
    ++pos;
    return predicate;
}

std::vector<Step> parse_path(std::string_view path)
{
    if (path.empty())
        bad_path(path, "empty");
    std::vector<Step> steps;
    std::size_t pos = 0;
    while (true) {
        Step step;
        step.name = take_name(path, pos);
        if (step.name.empty())
            bad_path(path, "missing element name at offset " + std::to_string(pos));
        while (pos < path.size() && path[pos] == '[') {
            ++pos;
            step.predicates.push_back(parse_predicate(path, pos));
        }
        steps.push_back(std::move(step));
        if (pos == path.size())
            return steps;
        if (path[pos] != '/')
            bad_path(path, std::string("unexpected '") + path[pos] + "' at offset " +
                               std::to_string(pos));
        ++pos;
    }
}

NodePtr copy_element(xmpp_stanza_t* element, const std::string& parent_ns)
{
    auto node = std::make_shared<ElementNode>();
    const char* name = xmpp_stanza_get_name(element);
    node->name = name ? name : "";
    const char* declared_ns = xmpp_stanza_get_ns(element);
    node->ns = declared_ns ? declared_ns : parent_ns;
    node->parent_ns = parent_ns;

    const auto attribute_count = static_cast<std::size_t>(xmpp_stanza_get_attribute_count(element));
    std::vector<const char*> slots(attribute_count * 2, nullptr);
    const int used =
        xmpp_stanza_get_attributes(element, slots.data(), static_cast<int>(slots.size()));
    for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(used); i += 2) {
        if (std::string_view(slots[i]) == "xmlns")
            continue;
        node->attributes.push_back({slots[i], slots[i + 1] ? slots[i + 1] : ""});
    }
    std::sort(node->attributes.begin(), node->attributes.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });

    for (xmpp_stanza_t* child = xmpp_stanza_get_children(element); child;
         child = xmpp_stanza_get_next(child)) {
        if (xmpp_stanza_is_text(child)) {
            const char* text = xmpp_stanza_get_text_ptr(child);
            if (!text)
                continue;
            node->text += text;
            node->content.push_back({text, std::nullopt});
        } else if (xmpp_stanza_is_tag(child)) {
            node->content.push_back({{}, node->elements.size()});
            node->elements.push_back(copy_element(child, node->ns));
        }
    }
    return node;
}

void serialize(const ElementNode& node, std::string& out)
{
    out += '<';
    out += node.name;
    if (!node.ns.empty() && node.ns != node.parent_ns) {
        out += " xmlns='";
        out += xml_escape(node.ns);
        out += '\'';
    }
    for (const auto& attribute : node.attributes) {
        out += ' ';
        out += attribute.name;
        out += "='";
        out += xml_escape(attribute.value);
        out += '\'';
    }
    if (node.content.empty()) {
        out += "/>";
        return;
    }
    out += '>';
    for (const auto& piece : node.content) {
        if (piece.element)
            serialize(*node.elements[*piece.element], out);
        else
            out += xml_escape(piece.text);
    }
    out += "</";
    out += node.name;
    out += '>';
}

std::optional<std::string_view> attribute_of(const ElementNode& node, std::string_view attribute_name)
{
    if (attribute_name == "xmlns")
        return std::string_view(node.ns);
    for (const auto& attribute : node.attributes)
        if (attribute.name == attribute_name)
            return std::string_view(attribute.value);
    return std::nullopt;
}

bool step_matches(const ElementNode& node, const Step& step)
{
    if (step.name != "*" && step.name != node.name)
        return false;
    return std::all_of(step.predicates.begin(), step.predicates.end(), [&node](const auto& predicate) {
        const auto value = attribute_of(node, predicate.attribute);
        return value && (!predicate.value || *predicate.value == *value);
    });
}

// Calls visit(match) for each match in document order while it returns true;
// returns false once visit asked to stop.
bool visit_matches(const NodePtr& node, const std::vector<Step>& steps, std::size_t depth,
                   const std::function<bool(const NodePtr&)>& visit)
{
    for (const auto& child : node->elements) {
        if (!step_matches(*child, steps[depth]))
            continue;
        const bool keep_going = depth + 1 == steps.size()
                                    ? visit(child)
                                    : visit_matches(child, steps, depth + 1, visit);
        if (!keep_going)
            return false;
    }
    return true;
}

}  // namespace

std::string xml_escape(std::string_view text) { return herald::component::escape_xml(text); }

ReceivedStanza::ReceivedStanza(std::shared_ptr<const detail::ElementNode> node)
    : node_(std::move(node))
{
}

ReceivedStanza ReceivedStanza::from_libstrophe(xmpp_stanza_t* element, std::string_view inherited_ns)
{
    if (!element || !xmpp_stanza_is_tag(element))
        throw std::invalid_argument("ReceivedStanza::from_libstrophe: not an element");
    return ReceivedStanza(copy_element(element, std::string(inherited_ns)));
}

ReceivedStanza ReceivedStanza::parse(std::string_view xml, std::string_view inherited_ns)
{
    ensure_libstrophe_initialized();
    const StropheContext context(xmpp_ctx_new(nullptr, nullptr));
    if (!context)
        throw std::runtime_error("ReceivedStanza::parse: xmpp_ctx_new failed");
    const std::string text(xml);
    const StropheStanza element(xmpp_stanza_new_from_string(context.get(), text.c_str()));
    if (!element)
        throw std::invalid_argument("ReceivedStanza::parse: not well-formed XML: " + text);
    return from_libstrophe(element.get(), inherited_ns);
}

const std::string& ReceivedStanza::name() const { return node_->name; }

const std::string& ReceivedStanza::ns() const { return node_->ns; }

std::string ReceivedStanza::attr(std::string_view attribute_name) const
{
    const auto value = attribute_of(*node_, attribute_name);
    return value ? std::string(*value) : std::string();
}

bool ReceivedStanza::has_attr(std::string_view attribute_name) const
{
    return attribute_of(*node_, attribute_name).has_value();
}

const std::vector<ReceivedStanza::Attribute>& ReceivedStanza::attributes() const
{
    return node_->attributes;
}

const std::string& ReceivedStanza::text() const { return node_->text; }

std::string ReceivedStanza::text(std::string_view path) const
{
    const auto found = find(path);
    return found ? found->text() : std::string();
}

std::vector<ReceivedStanza> ReceivedStanza::children() const
{
    std::vector<ReceivedStanza> result;
    result.reserve(node_->elements.size());
    for (const auto& child : node_->elements)
        result.push_back(ReceivedStanza(child));
    return result;
}

std::optional<ReceivedStanza> ReceivedStanza::find(std::string_view path) const
{
    std::optional<ReceivedStanza> first;
    visit_matches(node_, parse_path(path), 0, [&first](const NodePtr& match) {
        first = ReceivedStanza(match);
        return false;
    });
    return first;
}

std::vector<ReceivedStanza> ReceivedStanza::find_all(std::string_view path) const
{
    std::vector<ReceivedStanza> matches;
    visit_matches(node_, parse_path(path), 0, [&matches](const NodePtr& match) {
        matches.push_back(ReceivedStanza(match));
        return true;
    });
    return matches;
}

bool ReceivedStanza::has(std::string_view path) const { return find(path).has_value(); }

std::string ReceivedStanza::xml() const
{
    std::string out;
    serialize(*node_, out);
    return out;
}

std::ostream& operator<<(std::ostream& out, const ReceivedStanza& stanza)
{
    return out << stanza.xml();
}

}  // namespace herald::testing
