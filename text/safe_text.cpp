#include "text/safe_text.h"

#include <libxml/parser.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>

namespace herald::text {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kEscape = '\x1B';

struct Decoded {
    std::size_t length = 0;  // 0: the bytes here are not UTF-8
    char32_t code_point = 0;
};

Decoded decode(std::string_view text) {
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
    if (code_point < smallest || code_point > 0x10FFFF) return {};
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return {};
    return {length, code_point};
}

bool allowed_in_xml(char32_t code_point) {
    if (code_point < 0x20) return code_point == 0x9 || code_point == 0xA || code_point == 0xD;
    if (code_point >= 0x7F && code_point <= 0x9F) return false;  // DEL and C1: invisible, CSI among them
    return code_point != 0xFFFE && code_point != 0xFFFF;
}

// Bytes taken by the terminal escape sequence starting at text[0] == ESC.
std::size_t escape_sequence_length(std::string_view text) {
    if (text.size() < 2) return 1;
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    if (text[1] == '[') {  // CSI: parameters and intermediates, then one final byte
        std::size_t i = 2;
        while (i < text.size() && at(i) >= 0x20 && at(i) <= 0x3F) ++i;
        return i < text.size() && at(i) >= 0x40 && at(i) <= 0x7E ? i + 1 : i;
    }
    if (text[1] == ']') {  // OSC: up to BEL or ESC backslash
        for (std::size_t i = 2; i < text.size(); ++i) {
            if (text[i] == '\a') return i + 1;
            if (text[i] == kEscape) return i + 1 < text.size() && text[i + 1] == '\\' ? i + 2 : i;
            if (at(i) < 0x20 && text[i] != '\t') return i;
        }
        return text.size();
    }
    // Others (ESC c, ESC ( B...): intermediates, then one final byte.
    std::size_t i = 1;
    while (i < text.size() && at(i) >= 0x20 && at(i) <= 0x2F) ++i;
    return i < text.size() && at(i) >= 0x30 && at(i) <= 0x7E ? i + 1 : i;
}

// Walks `text` once: `keep` gets each allowed character, `reject` each
// rejected one (with what was wrong); returns false from either to stop.
template <typename Keep, typename Reject>
void walk(std::string_view text, bool strip_escapes, Keep keep, Reject reject) {
    while (!text.empty()) {
        if (strip_escapes && text.front() == kEscape) {
            const auto length = escape_sequence_length(text);
            if (!reject(text.substr(0, length), false)) return;
            text.remove_prefix(length);
            continue;
        }
        const auto decoded = decode(text);
        if (decoded.length == 0) {
            if (!reject(text.substr(0, 1), true)) return;
            text.remove_prefix(1);
            continue;
        }
        const auto character = text.substr(0, decoded.length);
        if (!(allowed_in_xml(decoded.code_point) ? keep(character) : reject(character, false))) return;
        text.remove_prefix(decoded.length);
    }
}

// `text` with every allowed character kept; a rejected one becomes U+FFFD
// when it is not UTF-8 (or, with `replace_forbidden`, whatever it is), and
// goes otherwise.
std::string filtered(std::string_view text, bool strip_escapes, bool replace_forbidden) {
    std::string out;
    out.reserve(text.size());
    walk(
        text, strip_escapes,
        [&](std::string_view character) {
            out.append(character);
            return true;
        },
        [&](std::string_view, bool invalid) {
            if (invalid || replace_forbidden) out.append(kReplacement);
            return true;
        });
    return out;
}

bool passes(std::string_view text, bool strip_escapes) {
    bool clean = true;
    walk(
        text, strip_escapes, [](std::string_view) { return true; },
        [&](std::string_view, bool) { return clean = false; });
    return clean;
}

}  // namespace

std::string clean(std::string_view text) { return filtered(text, true, false); }

bool is_clean(std::string_view text) { return passes(text, true); }

std::string_view truncated(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

std::string shortened(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    return std::string(truncated(text, max_bytes)) + "...";
}

std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    walk(
        text, true,
        [&](std::string_view character) {
            switch (character.front()) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                case '\'': out += "&apos;"; break;
                default: out.append(character);
            }
            return true;
        },
        [&](std::string_view, bool invalid) {
            if (invalid) out.append(kReplacement);
            return true;
        });
    return out;
}

bool is_clean_markup(std::string_view xml) { return passes(xml, false); }

std::string clean_markup(std::string_view xml) { return filtered(xml, false, true); }

void prepare_xml_parser() { xmlInitParser(); }

bool is_xml_name(std::string_view name) {
    if (name.empty() || !is_clean(name)) return false;
    const auto letter = [](unsigned char c) { return std::isalpha(c) || c == '_' || c == ':' || c >= 0x80; };
    if (!letter(static_cast<unsigned char>(name.front()))) return false;
    return std::all_of(name.begin(), name.end(), [&](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return letter(byte) || std::isdigit(byte) || c == '-' || c == '.';
    });
}

bool well_formed_fragment(std::string_view xml) {
    static const bool initialized = (xmlInitParser(), true);  // once, whichever thread comes first
    (void)initialized;
    if (!is_clean_markup(xml)) return false;
    const std::string document = "<fragment>" + std::string(xml) + "</fragment>";
    const std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> parser(xmlNewParserCtxt(),
                                                                              xmlFreeParserCtxt);
    if (!parser) return false;
    const std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> parsed(
        xmlCtxtReadMemory(parser.get(), document.data(), static_cast<int>(document.size()), nullptr, "UTF-8",
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA),
        xmlFreeDoc);
    // An undeclared prefix is only a namespace error to libxml2; to ejabberd
    // it is not XML.
    return parsed != nullptr && parser->wellFormed && parser->nsWellFormed;
}

}  // namespace herald::text
