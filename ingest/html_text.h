#pragma once

#include <string>
#include <string_view>

#include <libxml/tree.h>

namespace herald::ingest {

// The readable text of an HTML fragment: tags dropped, entities decoded,
// scripts and styles left out, block elements and <br> as line breaks,
// runs of spaces folded.
std::string html_to_text(std::string_view html);

// The same for an already parsed tree (Atom's xhtml content). Entity
// references are never followed.
std::string tree_to_text(const xmlNode* node);

// The first http(s) link of an <a href> in the HTML, "" when none.
std::string first_web_href(std::string_view html);

// Folds runs of white space within lines and drops blank lines.
std::string tidy_text(std::string_view text);

}  // namespace herald::ingest
