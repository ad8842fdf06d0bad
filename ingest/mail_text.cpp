#include "ingest/mail_text.h"

#include <glib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <optional>

namespace herald::ingest {
namespace {

constexpr std::string_view kEllipsis = "…";
constexpr std::size_t kMaxLinkBytes = 2048;

struct GFreeDeleter {
    void operator()(gchar* text) const { g_free(text); }
};
using GlibText = std::unique_ptr<gchar, GFreeDeleter>;

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

bool valid_utf8(std::string_view bytes) { return g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr); }

std::optional<std::string> convert(std::string_view bytes, const char* from) {
    gsize written = 0;
    GlibText converted(g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", from, nullptr, &written, nullptr));
    if (!converted) return std::nullopt;
    return std::string(converted.get(), written);
}

std::string made_valid(std::string_view bytes) {
    GlibText valid(g_utf8_make_valid(bytes.data(), static_cast<gssize>(bytes.size())));
    return valid ? std::string(valid.get()) : std::string();
}

bool control(unsigned char c) { return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f; }

std::string without_controls(std::string_view text) {
    std::string result;
    result.reserve(text.size());
    for (const char c : text)
        if (!control(static_cast<unsigned char>(c))) result += c;
    return result;
}

std::string_view trim_right(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line;
}

}  // namespace

std::string to_utf8(std::string_view bytes, std::string_view charset) {
    // GLib refuses a null pointer, which an empty part can give.
    if (bytes.empty()) return {};
    const auto name = lower(charset);
    const bool unicode_or_ascii = name.empty() || name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii";
    if (unicode_or_ascii && valid_utf8(bytes)) return std::string(bytes);
    const bool latin1 = name == "iso-8859-1" || name == "iso8859-1" || name == "latin1" || name == "us-ascii" || name == "ascii";
    std::array<std::string, 3> attempts = {unicode_or_ascii || latin1 ? "windows-1252" : name, "windows-1252", "iso-8859-1"};
    for (const auto& from : attempts)
        if (auto converted = convert(bytes, from.c_str())) return made_valid(*converted);
    return made_valid(bytes);
}

std::string readable_body(std::string_view text) {
    std::string result;
    int blank_lines = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == "-- ") break;
        const auto clean = std::string(trim_right(without_controls(line)));
        if (clean.empty()) {
            ++blank_lines;
        } else {
            if (!result.empty()) result += blank_lines > 0 ? "\n\n" : "\n";
            result += clean;
            blank_lines = 0;
        }
        start = end + 1;
    }
    return result;
}

std::string single_line(std::string_view text) {
    std::string result;
    bool space = false;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !result.empty();
            continue;
        }
        if (control(byte)) continue;
        if (space) result += ' ';
        space = false;
        result += c;
    }
    return result;
}

bool is_web_link(std::string_view text) {
    const auto start = lower(text.substr(0, 8));
    return (start.rfind("http://", 0) == 0 && text.size() > 7) || (start == "https://" && text.size() > 8);
}

std::string first_web_link(std::string_view text) {
    const auto lowered = lower(text);
    std::size_t best = std::string::npos;
    for (const char* scheme : {"http://", "https://"}) best = std::min(best, lowered.find(scheme));
    if (best == std::string::npos) return {};
    auto end = text.find_first_of(" \t\r\n<>\"", best);
    if (end == std::string_view::npos) end = text.size();
    std::string_view link = text.substr(best, end - best);
    while (!link.empty() && std::string_view(".,;:!?)]}'").find(link.back()) != std::string_view::npos)
        link.remove_suffix(1);
    if (!is_web_link(link) || link.size() > kMaxLinkBytes) return {};
    return std::string(link);
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    if (max_bytes < kEllipsis.size()) return {};
    auto cut = max_bytes - kEllipsis.size();
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut)) + std::string(kEllipsis);
}

}  // namespace herald::ingest
