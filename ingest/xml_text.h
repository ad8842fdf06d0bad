#pragma once

#include <string>
#include <string_view>

namespace herald::ingest {

// `text` made safe as XML 1.0 character data or attribute value: & < > ' "
// escaped, and every byte sequence that is not valid UTF-8 or a character
// XML forbids (C0 controls other than tab, newline and carriage return,
// U+FFFE, U+FFFF) replaced with U+FFFD, so that a log tail with terminal
// colour codes or a stray Latin-1 byte cannot break the stream.
std::string xml_escaped(std::string_view text);

}  // namespace herald::ingest
