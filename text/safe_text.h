#pragma once

#include <string>
#include <string_view>

namespace herald::text {

// `text` as valid UTF-8 holding only characters XML 1.0 allows: every byte
// that does not start a well-formed sequence becomes U+FFFD (overlong forms
// and UTF-8-encoded surrogates included); control characters other than tab,
// newline and carriage return, C1 controls, U+FFFE and U+FFFF are dropped,
// and terminal escape sequences (ESC [ ... final, ESC ] ... BEL) go whole.
std::string clean(std::string_view text);

// True when clean(text) would return `text` unchanged.
bool is_clean(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that ends on a
// character boundary (for clean text: never half a character).
std::string_view truncated(std::string_view text, std::size_t max_bytes);

// `text` said back to a person: whole up to `max_bytes`, else truncated
// there and followed by "...".
std::string shortened(std::string_view text, std::size_t max_bytes);

// clean(text) escaped as XML character data or attribute value (& < > ' ").
std::string xml_escaped(std::string_view text);

// Markup whose text may hold bytes from an old row: each character that is
// not valid UTF-8 or that XML forbids becomes U+FFFD (escape sequences are not
// stripped: their printable tail stays); markup itself is left as it is.
std::string clean_markup(std::string_view xml);
// True when clean_markup(xml) would return `xml` unchanged.
bool is_clean_markup(std::string_view xml);

// libxml2 (2.9) set up once, from main before any other thread starts:
// its first initialisation is not safe from two threads at once.
void prepare_xml_parser();

// True when `name` can name an element or attribute: a letter, '_' or ':'
// first, then letters, digits, '-', '.', '_', ':' (any non-ASCII character
// of clean text counts as a letter).
bool is_xml_name(std::string_view name);

// True when `xml` is well-formed as the content of an element, namespaces
// included (no DTD, no entity but the five predefined, no network): a stored
// payload checked before it is sent on.
bool well_formed_fragment(std::string_view xml);

}  // namespace herald::text
