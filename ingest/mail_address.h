#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace herald::ingest {

// The address a mail is sent to in order to publish on a node:
//
//     <encoded node>+<token>@<any domain routed to `herald ingest-mail`>
//
// The node is encoded so that it survives any MTA: lower-case ASCII letters,
// digits, '-' and '_' stand for themselves, '.' too except first or after
// another '.', and every other byte (upper case, '/', '@', '+', '=', UTF-8...)
// is '=' and two hex digits ("inbox/Bob" -> "inbox=2F=42ob"). Decoding takes
// the hex digits in either case, so address case folding changes nothing.
// The token is the last '+' part; its hex digits are read in either case too.
struct MailRecipient {
    std::string node;
    std::string token;
};

enum class RecipientProblem {
    no_address,  // empty or without a local part
    bad_node,    // the node part is empty or its encoding is malformed
    no_token,    // no '+TOKEN' after the node
    bad_token,   // the token has characters a token never has
};

using RecipientResult = std::variant<MailRecipient, RecipientProblem>;

// Reads "node+token@domain", also "<...>" and a quoted local part.
RecipientResult parse_recipient(std::string_view address);
std::string describe(RecipientProblem problem);

std::string encode_node(std::string_view node);
std::optional<std::string> decode_node(std::string_view encoded);
std::string mail_address(std::string_view node, std::string_view token, std::string_view domain);

// The topic of an address without a token ("node@domain" or "node+@domain"),
// whose token comes from a token file; nullopt when it is not one.
std::optional<std::string> tokenless_recipient_node(std::string_view address);

// A token file (`herald ingest-mail --token-file`): one "TOPIC TOKEN" a line,
// the topic as named (not encoded), the token last; blank lines and lines
// starting with '#' are skipped. Tokens by topic, or the number of the first
// line that is not one.
using TopicTokens = std::map<std::string, std::string>;
std::variant<TopicTokens, std::size_t> parse_topic_tokens(std::string_view text);

// The address with the token replaced by "…": what may appear in messages.
std::string redacted_recipient(std::string_view address);

}  // namespace herald::ingest
