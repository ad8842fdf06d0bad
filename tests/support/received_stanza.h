#pragma once

// An owning, immutable copy of an XML element received over XMPP, with
// XPath-like lookups for test assertions.

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <strophe.h>

namespace herald::testing {

// Escapes & < > ' " so that text can go into XML content or attribute values.
std::string xml_escape(std::string_view text);

namespace detail {
struct ElementNode;  // defined in received_stanza.cpp
}

// A cheap-to-copy handle on an immutable element tree. Sub-elements returned
// by find()/children() share ownership of the whole tree, so they stay valid
// on their own.
//
// Paths are slash-separated steps, each matching child elements:
//   "pubsub/publish/item"                       by local name
//   "*"                                         any element
//   "pubsub[@xmlns='http://jabber.org/protocol/pubsub']/publish"
//   "x/field[@var='FORM_TYPE']/value"           by attribute value
//   "error/item-not-found[@xmlns]"              attribute present
// Predicates can be chained ("a[@x='1'][@y='2']"); "xmlns" compares the
// element's namespace (declared or inherited).
class ReceivedStanza {
public:
    struct Attribute {
        std::string name;
        std::string value;
    };

    // Deep copy of a libstrophe element; inherited_ns is the namespace in
    // effect around it (jabber:client for stanzas on a client stream).
    static ReceivedStanza from_libstrophe(xmpp_stanza_t* element,
                                          std::string_view inherited_ns = "jabber:client");

    // Parses one XML element, e.g. a canned stanza in a unit test.
    // Throws std::invalid_argument when the text is not well-formed.
    static ReceivedStanza parse(std::string_view xml,
                                std::string_view inherited_ns = "jabber:client");

    const std::string& name() const;
    const std::string& ns() const;

    // "" when absent; attr("xmlns") is ns().
    std::string attr(std::string_view attribute_name) const;
    bool has_attr(std::string_view attribute_name) const;
    const std::vector<Attribute>& attributes() const;  // sorted by name, without xmlns

    std::string id() const { return attr("id"); }
    std::string type() const { return attr("type"); }
    std::string from() const { return attr("from"); }
    std::string to() const { return attr("to"); }

    // Text directly inside this element (not its descendants' text).
    const std::string& text() const;
    // Text of find(path), "" when nothing matches.
    std::string text(std::string_view path) const;

    std::vector<ReceivedStanza> children() const;

    // First match in document order; throws std::invalid_argument on a
    // malformed path.
    std::optional<ReceivedStanza> find(std::string_view path) const;
    std::vector<ReceivedStanza> find_all(std::string_view path) const;
    bool has(std::string_view path) const;

    // Serialized form (attributes sorted), for failure messages.
    std::string xml() const;

private:
    explicit ReceivedStanza(std::shared_ptr<const detail::ElementNode> node);

    std::shared_ptr<const detail::ElementNode> node_;
};

std::ostream& operator<<(std::ostream& out, const ReceivedStanza& stanza);

}  // namespace herald::testing
