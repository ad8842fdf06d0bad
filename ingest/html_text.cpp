#include "ingest/html_text.h"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <set>

#include "ingest/mail_text.h"

namespace herald::ingest {
namespace {

struct DocumentDeleter {
    void operator()(xmlDoc* document) const { xmlFreeDoc(document); }
};

// Deep enough for any real mail; deeper (hostile) trees are cut off there.
constexpr int kMaxDepth = 200;

const std::set<std::string, std::less<>>& skipped_elements() {
    static const std::set<std::string, std::less<>> names = {"head", "script", "style", "title", "noscript", "template", "object", "svg"};
    return names;
}

const std::set<std::string, std::less<>>& block_elements() {
    static const std::set<std::string, std::less<>> names = {
        "p",  "div", "table", "tr", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "hr", "section", "article", "header", "footer", "address", "dl", "dt", "dd", "center", "form"};
    return names;
}

class TextCollector {
public:
    HtmlText collect(xmlNode* root) {
        walk(root, 0, false);
        return {readable_body(text_), link_};
    }

private:
    void walk(xmlNode* node, int depth, bool preformatted) {
        if (depth > kMaxDepth) return;
        for (; node; node = node->next) {
            if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
                add_text(reinterpret_cast<const char*>(node->content), preformatted);
                continue;
            }
            if (node->type != XML_ELEMENT_NODE) continue;
            const std::string_view name = reinterpret_cast<const char*>(node->name);
            if (skipped_elements().count(name)) continue;
            if (name == "br") {
                line_break();
                continue;
            }
            if (name == "a") note_link(node);
            const bool block = block_elements().count(name) > 0;
            if (block) paragraph_break(name == "li" || name == "tr" || name == "dd" || name == "dt");
            if (name == "li") text_ += "- ";
            if (name == "td" || name == "th") separate_cell();
            walk(node->children, depth + 1, preformatted || name == "pre");
            if (block) paragraph_break(name == "li" || name == "tr" || name == "dd" || name == "dt");
        }
    }

    void add_text(const char* content, bool preformatted) {
        if (!content) return;
        if (preformatted) {
            text_ += content;
            return;
        }
        for (const char* c = content; *c; ++c) {
            const bool space = *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r';
            if (!space) text_ += *c;
            else if (!text_.empty() && text_.back() != ' ' && text_.back() != '\n') text_ += ' ';
        }
    }

    void line_break() {
        while (!text_.empty() && text_.back() == ' ') text_.pop_back();
        text_ += '\n';
    }

    // A block starts on a line of its own: after one line break between list
    // items and table rows, after a blank line between paragraphs.
    void paragraph_break(bool tight) {
        while (!text_.empty() && text_.back() == ' ') text_.pop_back();
        const std::size_t wanted = tight ? 1 : 2;
        std::size_t have = 0;
        while (have < text_.size() && text_[text_.size() - 1 - have] == '\n') ++have;
        if (!text_.empty() && have < wanted) text_.append(wanted - have, '\n');
    }

    void separate_cell() {
        if (!text_.empty() && text_.back() != ' ' && text_.back() != '\n') text_ += ' ';
    }

    void note_link(xmlNode* anchor) {
        if (!link_.empty()) return;
        xmlChar* href = xmlGetProp(anchor, reinterpret_cast<const xmlChar*>("href"));
        if (!href) return;
        const std::string target = single_line(reinterpret_cast<const char*>(href));
        xmlFree(href);
        if (is_web_link(target)) link_ = first_web_link(target);
    }

    std::string text_;
    std::string link_;
};

}  // namespace

HtmlText html_to_text(std::string_view html) {
    if (html.empty()) return {};
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED;
    std::unique_ptr<xmlDoc, DocumentDeleter> document(
        htmlReadMemory(html.data(), static_cast<int>(std::min<std::size_t>(html.size(), INT_MAX)), nullptr, "UTF-8", options));
    if (!document) return {};
    return TextCollector().collect(document->children);
}

}  // namespace herald::ingest
