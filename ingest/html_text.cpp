#include "ingest/html_text.h"

#include <libxml/HTMLparser.h>

#include <array>
#include <cstring>
#include <memory>

namespace herald::ingest {
namespace {

constexpr std::array kSkipped = {"script", "style", "head", "template", "noscript"};
constexpr std::array kBlocks = {"p",  "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4",
                                "h5", "h6", "pre", "blockquote", "hr", "section", "article", "dd", "dt"};

template <std::size_t N>
bool named(const xmlNode* node, const std::array<const char*, N>& names) {
    for (const char* name : names)
        if (xmlStrcasecmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0) return true;
    return false;
}

void append_text(const xmlNode* node, std::string& out) {
    for (const xmlNode* child = node; child; child = child->next) {
        switch (child->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (child->content) out += reinterpret_cast<const char*>(child->content);
            break;
        case XML_ELEMENT_NODE:
            if (named(child, kSkipped)) break;
            if (named(child, kBlocks)) out += '\n';
            append_text(child->children, out);
            if (named(child, kBlocks)) out += '\n';
            break;
        default:  // entity references, comments, processing instructions
            break;
        }
    }
}

struct HtmlDocDeleter {
    void operator()(htmlDocPtr doc) const { xmlFreeDoc(doc); }
};
struct XmlCharDeleter {
    void operator()(xmlChar* text) const { xmlFree(text); }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string tidy_text(std::string_view text) {
    std::string out;
    std::string line;
    auto flush_line = [&] {
        while (!line.empty() && line.back() == ' ') line.pop_back();
        if (line.empty()) return;
        if (!out.empty()) out += '\n';
        out += line;
        line.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        // U+00A0 (no-break space) in UTF-8
        const bool nbsp = c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0';
        if (c == '\n') {
            flush_line();
        } else if (is_space(c) || nbsp) {
            if (nbsp) ++i;
            if (!line.empty() && line.back() != ' ') line += ' ';
        } else {
            line += c;
        }
    }
    flush_line();
    return out;
}

std::string tree_to_text(const xmlNode* node) {
    std::string raw;
    if (node) append_text(node->children, raw);
    return tidy_text(raw);
}

namespace {

std::unique_ptr<xmlDoc, HtmlDocDeleter> parse_html(std::string_view html) {
    const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED |
                        HTML_PARSE_RECOVER | HTML_PARSE_COMPACT;
    // Wrapped so a fragment of bare text and inline tags has one root.
    const std::string wrapped = "<div>" + std::string(html) + "</div>";
    return std::unique_ptr<xmlDoc, HtmlDocDeleter>(
        htmlReadMemory(wrapped.data(), static_cast<int>(wrapped.size()), nullptr, "UTF-8", options));
}

std::string first_href(const xmlNode* node) {
    for (const xmlNode* child = node; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE || named(child, kSkipped)) continue;
        if (xmlStrcasecmp(child->name, reinterpret_cast<const xmlChar*>("a")) == 0) {
            std::unique_ptr<xmlChar, XmlCharDeleter> href(xmlGetProp(child, reinterpret_cast<const xmlChar*>("href")));
            const std::string link = href ? reinterpret_cast<const char*>(href.get()) : "";
            if (link.rfind("https://", 0) == 0 || link.rfind("http://", 0) == 0) return link;
        }
        if (auto found = first_href(child->children); !found.empty()) return found;
    }
    return "";
}

}  // namespace

std::string html_to_text(std::string_view html) {
    if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos) return tidy_text(html);
    const auto doc = parse_html(html);
    if (!doc) return tidy_text(html);
    std::string raw;
    append_text(xmlDocGetRootElement(doc.get()), raw);
    return tidy_text(raw);
}

std::string first_web_href(std::string_view html) {
    const auto doc = parse_html(html);
    return doc ? first_href(xmlDocGetRootElement(doc.get())) : "";
}

}  // namespace herald::ingest
