#pragma once

// Checks on text Herald wrote out (a message body, a webhook's JSON, a mail):
// is it valid UTF-8, and does it hold only characters XML 1.0 allows? Header
// only, so that the fuzz targets (a separate clang build) share it with the
// end-to-end tests.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace herald::testing {

// `text` around `at`, printable: other bytes as \xNN, for failure messages.
inline std::string text_excerpt(std::string_view text, std::size_t at, std::size_t around = 24) {
    const std::size_t from = at > around ? at - around : 0;
    const std::size_t to = std::min(text.size(), at + around);
    std::string out = from > 0 ? "..." : "";
    for (std::size_t i = from; i < to; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    return to < text.size() ? out + "..." : out;
}

namespace detail {

// "" when fine, else what is wrong, where. `xml_chars`: also refuse
// characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE, U+FFFF).
inline std::string text_fault(std::string_view text, bool xml_chars) {
    const auto fault = [&](const char* what, std::size_t at) {
        return std::string(what) + " at byte " + std::to_string(at) + ": " + text_excerpt(text, at);
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::uint32_t cp = 0;
        std::size_t length = 0;
        if (lead < 0x80) {
            cp = lead, length = 1;
        } else if ((lead & 0xE0) == 0xC0) {
            cp = lead & 0x1F, length = 2;
        } else if ((lead & 0xF0) == 0xE0) {
            cp = lead & 0x0F, length = 3;
        } else if ((lead & 0xF8) == 0xF0) {
            cp = lead & 0x07, length = 4;
        } else {
            return fault("invalid UTF-8 byte", i);
        }
        if (i + length > text.size()) return fault("truncated UTF-8 sequence", i);
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return fault("invalid UTF-8 sequence", i);
            cp = (cp << 6) | (next & 0x3F);
        }
        if ((length == 2 && cp < 0x80) || (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000))
            return fault("overlong UTF-8 sequence", i);
        if (cp > 0x10FFFF) return fault("UTF-8 sequence beyond U+10FFFF", i);
        if (cp >= 0xD800 && cp <= 0xDFFF) return fault("UTF-8-encoded surrogate", i);
        if (xml_chars) {
            const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                                 (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            if (!allowed) {
                char name[16];
                std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(cp));
                return fault((std::string("character XML forbids (") + name + ")").c_str(), i);
            }
        }
        i += length;
    }
    return {};
}

}  // namespace detail

// "" when `text` is valid UTF-8 (no overlong forms, no surrogates), else
// what is wrong and where.
inline std::string utf8_fault(std::string_view text) { return detail::text_fault(text, false); }

// "" when `text` is valid UTF-8 holding only characters XML 1.0 allows.
inline std::string xml_text_fault(std::string_view text) { return detail::text_fault(text, true); }

}  // namespace herald::testing
