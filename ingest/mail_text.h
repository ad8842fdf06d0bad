#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Text clean-up for mail ingestion: charsets to UTF-8, bodies made readable,
// one-line titles, the first web link. Pure functions.
namespace herald::ingest {

// `bytes` in `charset` (a MIME name, "" when none was given) as valid UTF-8.
// ISO-8859-1 and US-ASCII are read as windows-1252, their usual superset;
// bytes that cannot be converted end up as U+FFFD, never as an error.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// Line ends to "\n", the signature (after a "-- " line) dropped, control
// characters but tab removed, trailing blanks cut, runs of blank lines made
// one, leading and trailing blank lines removed.
std::string readable_body(std::string_view text);

// Whitespace runs (newlines too) made one space, trimmed, control characters
// removed.
std::string single_line(std::string_view text);

// The first http:// or https:// URL, without trailing punctuation; "" if none.
std::string first_web_link(std::string_view text);
bool is_web_link(std::string_view text);

// At most `max_bytes` bytes, cut at a UTF-8 character boundary, "…" appended
// when something was cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace herald::ingest
