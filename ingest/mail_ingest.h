#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ingest/mail_address.h"
#include "ingest/mail_parser.h"
#include "ingest/mail_publisher.h"
#include "tools/exit_code.h"

namespace herald::ingest {

// `herald ingest-mail`'s command line.
struct IngestMailOptions {
    std::string config_path;
    std::optional<std::string> recipient;         // else $RECIPIENT, Delivered-To, X-Original-To
    std::optional<std::string> token_file;        // tokens by topic, for addresses without one
    std::size_t max_message_bytes = 10 * 1024 * 1024;
    std::chrono::seconds timeout{30};
    bool help = false;
};

struct IngestMailUsageError {
    std::string message;
};

std::variant<IngestMailOptions, IngestMailUsageError> parse_ingest_mail_options(const std::vector<std::string>& arguments);
const char* ingest_mail_usage();

// Where and how much to publish, from the daemon's configuration.
struct MailIngestSettings {
    ApiEndpoint endpoint;
    // The largest notification the daemon takes (its HTTP body and payload
    // limits); longer bodies are cut to fit.
    std::size_t max_notification_bytes = 64 * 1024;
    // From --token-file: the token of an address that has none ("TOPIC@domain").
    std::optional<TopicTokens> topic_tokens;
};

// The result of one run: the exit status and, unless ok, one line for the
// MTA's bounce (never the token).
struct MailOutcome {
    ExitCode code = ExitCode::ok;
    std::string message;
};

// Reads an environment variable; nullopt when unset.
using EnvironmentReader = std::function<std::optional<std::string>(const char* name)>;

// What the API's reply means for the MTA.
MailOutcome outcome_of(const ApiReply& reply, const std::string& node);

// Cuts the body so that the notification, escaped as JSON and as XML, stays
// within `max_bytes`.
void fit_notification(MailNotification& mail, std::size_t max_bytes);

// One message from `input` to the node its recipient names. `post` is the
// HTTP call (post_mail outside tests).
class MailIngest {
public:
    using Poster = std::function<ApiReply(const ApiEndpoint&, const MailRecipient&, const MailNotification&)>;

    MailIngest(MailIngestSettings settings, EnvironmentReader environment, Poster post = post_mail);
    MailOutcome run(std::istream& input, const std::optional<std::string>& recipient_option,
                    std::size_t max_message_bytes) const;

private:
    std::optional<std::string> recipient_address(const std::optional<std::string>& option,
                                                 const MailParseResult& parsed) const;
    // The address's topic and token, the token from the token file when the
    // address has none.
    RecipientResult recipient_of(const std::string& address) const;

    MailIngestSettings settings_;
    EnvironmentReader environment_;
    Poster post_;
};

}  // namespace herald::ingest
