#pragma once

#include <string>
#include <string_view>

namespace herald::ingest {

struct HtmlText {
    std::string text;        // what a reader sees, one paragraph per block
    std::string first_link;  // the first http(s) href, "" if none
};

// Readable text from an HTML document or fragment in UTF-8 (libxml2's
// forgiving HTML parser, no network): scripts, styles and the head left out,
// blocks and <br> as line breaks, list items as "- ", entities decoded.
HtmlText html_to_text(std::string_view html);

}  // namespace herald::ingest
