#include "ingest/feed_parser.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "ingest/feed_date.h"
#include "ingest/html_text.h"

namespace herald::ingest {
namespace {

constexpr const char* kAtom = "http://www.w3.org/2005/Atom";
constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr const char* kRss1 = "http://purl.org/rss/1.0/";
constexpr const char* kRss090 = "http://my.netscape.com/rdf/simple/0.9/";
constexpr const char* kContent = "http://purl.org/rss/1.0/modules/content/";
constexpr const char* kDublinCore = "http://purl.org/dc/elements/1.1/";

struct DocDeleter {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct ContextDeleter {
    void operator()(xmlParserCtxt* context) const { xmlFreeParserCtxt(context); }
};

std::string_view namespace_of(const xmlNode* node) {
    return node->ns && node->ns->href ? reinterpret_cast<const char*>(node->ns->href) : "";
}

bool is(const xmlNode* node, std::string_view ns, std::string_view name) {
    return node && node->type == XML_ELEMENT_NODE && namespace_of(node) == ns &&
           name == reinterpret_cast<const char*>(node->name);
}

const xmlNode* child(const xmlNode* parent, std::string_view ns, std::string_view name) {
    for (const xmlNode* node = parent ? parent->children : nullptr; node; node = node->next)
        if (is(node, ns, name)) return node;
    return nullptr;
}

template <typename Visit>
void each_child(const xmlNode* parent, std::string_view ns, std::string_view name, Visit visit) {
    for (const xmlNode* node = parent ? parent->children : nullptr; node; node = node->next)
        if (is(node, ns, name)) visit(node);
}

std::string attribute(const xmlNode* node, const char* name, const char* ns = nullptr) {
    if (!node) return "";
    xmlChar* value = ns ? xmlGetNsProp(node, reinterpret_cast<const xmlChar*>(name), reinterpret_cast<const xmlChar*>(ns))
                        : xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
    if (!value) return "";
    std::string text(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return text;
}

// Text and CDATA below `node`. Entity references are skipped, never expanded.
void collect_raw(const xmlNode* node, std::string& out) {
    for (const xmlNode* part = node ? node->children : nullptr; part; part = part->next) {
        if ((part->type == XML_TEXT_NODE || part->type == XML_CDATA_SECTION_NODE) && part->content)
            out += reinterpret_cast<const char*>(part->content);
        else if (part->type == XML_ELEMENT_NODE)
            collect_raw(part, out);
    }
}

std::string raw_text(const xmlNode* node) {
    std::string out;
    collect_raw(node, out);
    return out;
}

std::string one_line(std::string text) {
    auto tidy = tidy_text(text);
    for (auto& c : tidy)
        if (c == '\n') c = ' ';
    return tidy;
}

// An Atom text construct: type text (default), html or xhtml.
std::string atom_text(const xmlNode* node) {
    if (!node) return "";
    const auto type = attribute(node, "type");
    if (type == "html") return html_to_text(raw_text(node));
    if (type == "xhtml") return tree_to_text(node);
    return tidy_text(raw_text(node));
}

std::optional<std::int64_t> date_of(const xmlNode* node) {
    return node ? parse_feed_date(raw_text(node)) : std::nullopt;
}

void keep_if_keyed(FeedItem item, std::vector<FeedItem>& items) {
    if (item.key.empty()) item.key = item.link;
    if (!item.key.empty()) items.push_back(std::move(item));
}

ParsedFeed read_rss2(const xmlNode* root) {
    ParsedFeed feed{FeedFormat::rss2, {}, {}, {}};
    const xmlNode* channel = child(root, "", "channel");
    feed.title = one_line(html_to_text(raw_text(child(channel, "", "title"))));
    feed.link = one_line(raw_text(child(channel, "", "link")));
    each_child(channel, "", "item", [&](const xmlNode* node) {
        FeedItem item;
        item.key = one_line(raw_text(child(node, "", "guid")));
        item.link = one_line(raw_text(child(node, "", "link")));
        item.title = one_line(html_to_text(raw_text(child(node, "", "title"))));
        const xmlNode* description = child(node, "", "description");
        item.text = html_to_text(raw_text(description ? description : child(node, kContent, "encoded")));
        const xmlNode* date = child(node, "", "pubDate");
        item.published_unix = date_of(date ? date : child(node, kDublinCore, "date"));
        keep_if_keyed(std::move(item), feed.items);
    });
    return feed;
}

ParsedFeed read_rss1(const xmlNode* root) {
    ParsedFeed feed{FeedFormat::rss1, {}, {}, {}};
    for (const char* ns : {kRss1, kRss090}) {
        const xmlNode* channel = child(root, ns, "channel");
        if (channel && feed.title.empty()) {
            feed.title = one_line(html_to_text(raw_text(child(channel, ns, "title"))));
            feed.link = one_line(raw_text(child(channel, ns, "link")));
        }
        each_child(root, ns, "item", [&](const xmlNode* node) {
            FeedItem item;
            item.key = attribute(node, "about", kRdf);
            item.link = one_line(raw_text(child(node, ns, "link")));
            item.title = one_line(html_to_text(raw_text(child(node, ns, "title"))));
            const xmlNode* description = child(node, ns, "description");
            item.text = html_to_text(raw_text(description ? description : child(node, kContent, "encoded")));
            item.published_unix = date_of(child(node, kDublinCore, "date"));
            keep_if_keyed(std::move(item), feed.items);
        });
    }
    return feed;
}

std::string atom_link(const xmlNode* parent) {
    std::string first;
    for (const xmlNode* node = parent->children; node; node = node->next) {
        if (!is(node, kAtom, "link")) continue;
        const auto rel = attribute(node, "rel");
        if (rel.empty() || rel == "alternate") return attribute(node, "href");
        if (first.empty()) first = attribute(node, "href");
    }
    return first;
}

ParsedFeed read_atom(const xmlNode* root) {
    ParsedFeed feed{FeedFormat::atom, {}, {}, {}};
    feed.title = one_line(atom_text(child(root, kAtom, "title")));
    feed.link = atom_link(root);
    each_child(root, kAtom, "entry", [&](const xmlNode* node) {
        FeedItem item;
        item.key = one_line(raw_text(child(node, kAtom, "id")));
        item.link = atom_link(node);
        item.title = one_line(atom_text(child(node, kAtom, "title")));
        const xmlNode* summary = child(node, kAtom, "summary");
        item.text = atom_text(summary ? summary : child(node, kAtom, "content"));
        const xmlNode* published = child(node, kAtom, "published");
        item.published_unix = date_of(published ? published : child(node, kAtom, "updated"));
        keep_if_keyed(std::move(item), feed.items);
    });
    return feed;
}

using Reader = std::function<ParsedFeed(const xmlNode*)>;

// Root element (namespace, name) -> how to read the document.
const std::map<std::pair<std::string_view, std::string_view>, Reader>& readers() {
    static const std::map<std::pair<std::string_view, std::string_view>, Reader> table = {
        {{"", "rss"}, read_rss2},
        {{kRdf, "RDF"}, read_rss1},
        {{kAtom, "feed"}, read_atom},
    };
    return table;
}

FeedParseError parse_error(xmlParserCtxt* context) {
    const xmlError* error = xmlCtxtGetLastError(context);
    if (!error || !error->message) return {"not well-formed XML"};
    std::string message = error->message;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return {"not well-formed XML (line " + std::to_string(error->line) + "): " + message};
}

}  // namespace

std::variant<ParsedFeed, FeedParseError> parse_feed(std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return FeedParseError{"the document is too large"};
    xmlInitParser();
    std::unique_ptr<xmlParserCtxt, ContextDeleter> context(xmlNewParserCtxt());
    if (!context) return FeedParseError{"out of memory"};
    // Deliberately absent: XML_PARSE_NOENT (substitute entities),
    // XML_PARSE_DTDLOAD / DTDATTR / DTDVALID (load external subsets) and
    // XML_PARSE_HUGE (lift the parser's amplification limits).
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    std::unique_ptr<xmlDoc, DocDeleter> doc(xmlCtxtReadMemory(context.get(), bytes.data(),
                                                              static_cast<int>(bytes.size()), nullptr, nullptr, options));
    if (!doc) return parse_error(context.get());
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!root) return FeedParseError{"the document has no root element"};
    const auto reader = readers().find({namespace_of(root), reinterpret_cast<const char*>(root->name)});
    if (reader == readers().end())
        return FeedParseError{"not RSS or Atom: the root element is <" +
                              std::string(reinterpret_cast<const char*>(root->name)) + ">"};
    return reader->second(root);
}

}  // namespace herald::ingest
