#include "ingest/mail_address.h"

#include <algorithm>

#include "text/hex.h"

namespace herald::ingest {
namespace {

constexpr char kEscape = '=';
constexpr char kTokenSeparator = '+';

bool plain(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

// The local part, without angle brackets, the domain or surrounding quotes.
std::string_view local_part(std::string_view address) {
    while (!address.empty() && (address.front() == '<' || address.front() == ' ')) address.remove_prefix(1);
    while (!address.empty() && (address.back() == '>' || address.back() == ' ')) address.remove_suffix(1);
    if (const auto at = address.rfind('@'); at != std::string_view::npos) address = address.substr(0, at);
    if (address.size() >= 2 && address.front() == '"' && address.back() == '"')
        address = address.substr(1, address.size() - 2);
    return address;
}

bool token_character(char c) { return text::hex_value(c) >= 0; }

// A token as given, or nullopt; hex digits in lower case.
std::optional<std::string> normal_token(std::string_view text) {
    if (text.empty() || !std::all_of(text.begin(), text.end(), token_character)) return std::nullopt;
    std::string token(text);
    std::transform(token.begin(), token.end(), token.begin(),
                   [](char c) { return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c); });
    return token;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace

std::string encode_node(std::string_view node) {
    std::string encoded;
    for (const char c : node) {
        const bool literal_dot = c == '.' && !encoded.empty() && encoded.back() != '.';
        if (plain(c) || literal_dot) {
            encoded += c;
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        encoded += text::escaped_byte(kEscape, byte);
    }
    return encoded;
}

std::optional<std::string> decode_node(std::string_view encoded) {
    std::string node;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] != kEscape) {
            node += encoded[i];
            continue;
        }
        if (i + 2 >= encoded.size()) return std::nullopt;
        const int high = text::hex_value(encoded[i + 1]);
        const int low = text::hex_value(encoded[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        node += static_cast<char>(high * 16 + low);
        i += 2;
    }
    if (node.empty() || node.find('\0') != std::string::npos) return std::nullopt;
    return node;
}

RecipientResult parse_recipient(std::string_view address) {
    const auto local = local_part(address);
    if (local.empty()) return RecipientProblem::no_address;
    const auto separator = local.rfind(kTokenSeparator);
    if (separator == std::string_view::npos || separator + 1 == local.size()) {
        // "node" or "node+": a topic's address without its secret
        return decode_node(local.substr(0, separator)) ? RecipientProblem::no_token : RecipientProblem::bad_node;
    }
    auto node = decode_node(local.substr(0, separator));
    if (!node) return RecipientProblem::bad_node;
    auto token = normal_token(local.substr(separator + 1));
    if (!token) return RecipientProblem::bad_token;
    return MailRecipient{std::move(*node), std::move(*token)};
}

std::optional<std::string> tokenless_recipient_node(std::string_view address) {
    auto local = local_part(address);
    if (!local.empty() && local.back() == kTokenSeparator) local.remove_suffix(1);
    if (local.find(kTokenSeparator) != std::string_view::npos) return std::nullopt;
    return decode_node(local);
}

std::variant<TopicTokens, std::size_t> parse_topic_tokens(std::string_view text) {
    TopicTokens tokens;
    std::size_t number = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const auto line = trimmed(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++number;
        if (line.empty() || line.front() == '#') continue;
        auto split = line.size();
        while (split > 0 && !blank(line[split - 1])) --split;
        const auto topic = trimmed(line.substr(0, split));
        auto token = normal_token(line.substr(split));
        if (topic.empty() || !token) return number;
        tokens[std::string(topic)] = std::move(*token);
    }
    return tokens;
}

std::string describe(RecipientProblem problem) {
    switch (problem) {
        case RecipientProblem::no_address: return "no recipient address";
        case RecipientProblem::bad_node: return "the recipient's topic part is malformed";
        case RecipientProblem::no_token:
            return "the recipient address carries no token (TOPIC+TOKEN@domain), and no token file has one for its topic";
        case RecipientProblem::bad_token: return "the token in the recipient address is malformed";
    }
    return "bad recipient";
}

std::string mail_address(std::string_view node, std::string_view token, std::string_view domain) {
    return encode_node(node) + kTokenSeparator + std::string(token) + '@' + std::string(domain);
}

std::string redacted_recipient(std::string_view address) {
    const auto at = address.rfind('@');
    const auto local_end = at == std::string_view::npos ? address.size() : at;
    const auto separator = address.substr(0, local_end).rfind(kTokenSeparator);
    if (separator == std::string_view::npos) return std::string(address);
    return std::string(address.substr(0, separator + 1)) + "…" + std::string(address.substr(local_end));
}

}  // namespace herald::ingest
