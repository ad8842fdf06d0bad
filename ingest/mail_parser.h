#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace herald::ingest {

// What one mail becomes: the fields of an HTTP publish.
struct MailNotification {
    std::string title;                    // the decoded subject, else "Mail from SENDER", else the first line
    std::string body;                     // readable UTF-8 text of the text/plain (or HTML) part
    std::string link;                     // the first http(s) link of the body, "" if none
    std::optional<std::string> priority;  // "high" or "low" from Importance / X-Priority / Priority
    // The topmost Delivered-To, else X-Original-To: the recipient when the MTA
    // does not pass it on the command line. Not part of the publish.
    std::string delivered_to;
};

struct MailParseError {
    std::string message;  // one line for the bounce
};

using MailParseResult = std::variant<MailNotification, MailParseError>;

// Parses one RFC 5322 message (GMime). Pure: no I/O, no exceptions, any
// input gives a result; fit for fuzzing. An error when the input is not a
// mail (no RFC 5322 header such as From, Subject or Date) or has neither a
// subject nor any text.
MailParseResult parse_mail(std::string_view message);

}  // namespace herald::ingest
