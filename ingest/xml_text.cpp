#include "ingest/xml_text.h"

#include <cstdint>

namespace herald::ingest {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

bool allowed_in_xml(char32_t code_point) {
    if (code_point < 0x20) return code_point == 0x9 || code_point == 0xA || code_point == 0xD;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    if (code_point == 0xFFFE || code_point == 0xFFFF) return false;
    return code_point <= 0x10FFFF;
}

// Length of the well-formed UTF-8 sequence at the start of `text` and the
// code point it encodes; length 0 when the bytes there are not UTF-8.
struct DecodedCharacter {
    std::size_t length = 0;
    char32_t code_point = 0;
};

DecodedCharacter decode_utf8(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
    const std::uint8_t lead = byte(0);
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t smallest = 0;  // shorter forms are overlong
    if (lead < 0x80) return {1, lead};
    if ((lead & 0xE0) == 0xC0) { length = 2; code_point = lead & 0x1F; smallest = 0x80; }
    else if ((lead & 0xF0) == 0xE0) { length = 3; code_point = lead & 0x0F; smallest = 0x800; }
    else if ((lead & 0xF8) == 0xF0) { length = 4; code_point = lead & 0x07; smallest = 0x10000; }
    else return {};
    if (text.size() < length) return {};
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return {};
        code_point = (code_point << 6) | (byte(i) & 0x3F);
    }
    if (code_point < smallest) return {};
    return {length, code_point};
}

}  // namespace

std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    while (!text.empty()) {
        const DecodedCharacter decoded = decode_utf8(text);
        if (decoded.length == 0 || !allowed_in_xml(decoded.code_point)) {
            out += kReplacementCharacter;
            text.remove_prefix(decoded.length == 0 ? 1 : decoded.length);
            continue;
        }
        switch (text.front()) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out.append(text.substr(0, decoded.length));
        }
        text.remove_prefix(decoded.length);
    }
    return out;
}

}  // namespace herald::ingest
