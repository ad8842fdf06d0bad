#include "ingest/mail_ingest.h"

#include <charconv>
#include <istream>
#include <map>

#include "ingest/mail_text.h"

namespace herald::ingest {
namespace {

const char* kUsage = R"(usage: herald ingest-mail --config FILE [--recipient ADDRESS] [--token-file FILE] [options] < MESSAGE

Publishes one mail (RFC 5322, on stdin) to the topic its recipient address
names, through the daemon's HTTP publish API (the http: section of FILE,
which must be enabled). Meant to be run by an MTA as a pipe; see docs/mail.md.

  --config FILE          herald's YAML configuration
  --recipient ADDRESS    TOPIC+TOKEN@domain (Postfix: ${original_recipient},
                         Exim: $local_part@$domain); without it: $RECIPIENT,
                         then the Delivered-To, then the X-Original-To header
  --token-file FILE      "TOPIC TOKEN" lines (mode 0600 or 0640): an address
                         without a token, TOPIC@domain, publishes with the
                         file's token for TOPIC, so no MTA log holds it
  --max-size BYTES       largest message read (default 10485760)
  --timeout SECONDS      bound on the publish (default 30)
  --help                 this text

Exit status (sysexits): 0 published (durable); 64 bad usage or no recipient;
65 not a mail, or nothing to publish; 67 no such topic, or a token that is
not valid for it (herald answers both alike, so that nobody learns which
topics exist), or no token in the address nor the token file; 75 the daemon is unreachable, busy
or slow: the MTA retries; 77 a malformed token; 78 configuration unusable.
)";

constexpr std::int64_t kMaxTimeoutSeconds = 3600;
constexpr std::int64_t kMaxMessageBytes = std::int64_t{1} << 30;
// Room for the JSON keys and the XML elements around the fields.
constexpr std::size_t kEnvelopeBytes = 512;

std::optional<std::int64_t> whole_number(const std::string& text, std::int64_t lowest, std::int64_t highest) {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (number < lowest || number > highest) return std::nullopt;
    return number;
}

using OptionSetter = std::function<std::optional<std::string>(IngestMailOptions&, const std::string&)>;

const std::map<std::string, OptionSetter>& valued_options() {
    static const std::map<std::string, OptionSetter> options = {
        {"--config", [](IngestMailOptions& o, const std::string& v) -> std::optional<std::string> {
             o.config_path = v;
             return std::nullopt;
         }},
        {"--recipient", [](IngestMailOptions& o, const std::string& v) -> std::optional<std::string> {
             o.recipient = v;
             return std::nullopt;
         }},
        {"--token-file", [](IngestMailOptions& o, const std::string& v) -> std::optional<std::string> {
             o.token_file = v;
             return std::nullopt;
         }},
        {"--max-size", [](IngestMailOptions& o, const std::string& v) -> std::optional<std::string> {
             const auto bytes = whole_number(v, 1, kMaxMessageBytes);
             if (!bytes) return "--max-size needs a number of bytes from 1 to " + std::to_string(kMaxMessageBytes);
             o.max_message_bytes = static_cast<std::size_t>(*bytes);
             return std::nullopt;
         }},
        {"--timeout", [](IngestMailOptions& o, const std::string& v) -> std::optional<std::string> {
             const auto seconds = whole_number(v, 1, kMaxTimeoutSeconds);
             if (!seconds) return "--timeout needs a number of seconds from 1 to " + std::to_string(kMaxTimeoutSeconds);
             o.timeout = std::chrono::seconds(*seconds);
             return std::nullopt;
         }},
    };
    return options;
}

// What one character costs once escaped for JSON or XML, the larger.
std::size_t escaped_cost(char c) {
    switch (c) {
        case '&': return 5;
        case '<': case '>': return 4;
        case '"': case '\'': return 6;
        case '\\': case '\n': case '\t': return 2;
        default: return 1;
    }
}

std::size_t escaped_size(const std::string& text) {
    std::size_t size = 0;
    for (const char c : text) size += escaped_cost(c);
    return size;
}

// The longest prefix of `text` whose escaped size is within `budget`.
std::size_t prefix_within(const std::string& text, std::size_t budget) {
    std::size_t used = 0, length = 0;
    while (length < text.size() && used + escaped_cost(text[length]) <= budget) used += escaped_cost(text[length++]);
    return length;
}

MailOutcome fail(ExitCode code, std::string message) { return {code, std::move(message)}; }

std::string api_said(const ApiReply& reply) {
    std::string said = "HTTP " + std::to_string(reply.status);
    if (!reply.error.empty()) said += " " + reply.error;
    if (!reply.message.empty()) said += ": " + reply.message;
    return said;
}

std::optional<std::string> read_limited(std::istream& input, std::size_t max_bytes) {
    std::string message;
    char buffer[64 * 1024];
    while (input.read(buffer, sizeof buffer) || input.gcount() > 0) {
        message.append(buffer, static_cast<std::size_t>(input.gcount()));
        if (message.size() > max_bytes) return std::nullopt;
    }
    return message;
}

}  // namespace

std::variant<IngestMailOptions, IngestMailUsageError> parse_ingest_mail_options(const std::vector<std::string>& arguments) {
    IngestMailOptions options;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        std::string name = arguments[i];
        std::optional<std::string> value;
        if (const auto equals = name.find('='); name.rfind("--", 0) == 0 && equals != std::string::npos) {
            value = name.substr(equals + 1);
            name = name.substr(0, equals);
        }
        if (name == "--help" || name == "-h") {
            options.help = true;
            return options;
        }
        const auto setter = valued_options().find(name);
        if (setter == valued_options().end()) return IngestMailUsageError{"unknown argument '" + name + "'"};
        if (!value) {
            if (i + 1 >= arguments.size()) return IngestMailUsageError{name + " needs a value"};
            value = arguments[++i];
        }
        if (auto problem = setter->second(options, *value)) return IngestMailUsageError{*problem};
    }
    if (options.config_path.empty()) return IngestMailUsageError{"--config FILE is required"};
    return options;
}

const char* ingest_mail_usage() { return kUsage; }

MailOutcome outcome_of(const ApiReply& reply, const std::string& node) {
    const std::string topic = "topic '" + node + "'";
    if (!reply.answered)
        return fail(ExitCode::temporary_failure, "herald is unreachable (" + reply.transport_error + "); try again later");
    const int status = reply.status;
    if (status == 202) return {};
    if (status == 401 || status == 403)
        return fail(ExitCode::no_permission, "the token in the address is not valid for " + topic + " (" + api_said(reply) + ")");
    if (status == 404)
        return fail(ExitCode::no_user, "there is no " + topic + ", or the token in the address is not valid for it (" +
                                           api_said(reply) + ")");
    if (status == 400 || status == 413 || status == 415)
        return fail(ExitCode::data_error, "herald refused the notification for " + topic + " (" + api_said(reply) + ")");
    if (status == 429 || status >= 500)
        return fail(ExitCode::temporary_failure, "herald is busy (" + api_said(reply) + "); try again later");
    // Anything else is unexpected: keep the mail queued rather than lose it.
    return fail(ExitCode::temporary_failure, "unexpected answer from herald (" + api_said(reply) + ")");
}

void fit_notification(MailNotification& mail, std::size_t max_bytes) {
    const auto fit = [](std::string& text, std::size_t budget) {
        if (escaped_size(text) > budget) text = truncate_utf8(text, prefix_within(text, budget));
    };
    if (escaped_size(mail.link) > max_bytes / 4) mail.link.clear();
    fit(mail.title, max_bytes / 4);
    const std::size_t used = kEnvelopeBytes + escaped_size(mail.title) + escaped_size(mail.link);
    fit(mail.body, used < max_bytes ? max_bytes - used : 0);
}

MailIngest::MailIngest(MailIngestSettings settings, EnvironmentReader environment, Poster post)
    : settings_(std::move(settings)), environment_(std::move(environment)), post_(std::move(post)) {}

std::optional<std::string> MailIngest::recipient_address(const std::optional<std::string>& option,
                                                         const MailParseResult& parsed) const {
    if (option) return option;
    if (auto variable = environment_("RECIPIENT"); variable && !variable->empty()) return variable;
    if (const auto* mail = std::get_if<MailNotification>(&parsed); mail && !mail->delivered_to.empty())
        return mail->delivered_to;
    return std::nullopt;
}

RecipientResult MailIngest::recipient_of(const std::string& address) const {
    auto recipient = parse_recipient(address);
    const auto* problem = std::get_if<RecipientProblem>(&recipient);
    if (!settings_.topic_tokens || !problem || *problem != RecipientProblem::no_token) return recipient;
    const auto node = tokenless_recipient_node(address);
    if (!node) return recipient;
    const auto token = settings_.topic_tokens->find(*node);
    if (token == settings_.topic_tokens->end()) return recipient;
    return MailRecipient{*node, token->second};
}

MailOutcome MailIngest::run(std::istream& input, const std::optional<std::string>& recipient_option,
                            std::size_t max_message_bytes) const {
    const auto text = read_limited(input, max_message_bytes);
    if (!text) return fail(ExitCode::data_error, "the message is larger than " + std::to_string(max_message_bytes) + " bytes");
    if (input.bad()) return fail(ExitCode::temporary_failure, "cannot read the message from stdin");
    auto parsed = parse_mail(*text);
    const auto address = recipient_address(recipient_option, parsed);
    if (!address && std::holds_alternative<MailParseError>(parsed))
        return fail(ExitCode::data_error, std::get<MailParseError>(parsed).message);
    if (!address)
        return fail(ExitCode::usage, "no recipient: give --recipient, or let the MTA add Delivered-To or X-Original-To");
    const auto recipient = recipient_of(*address);
    if (const auto* problem = std::get_if<RecipientProblem>(&recipient)) {
        const auto code = *problem == RecipientProblem::bad_token ? ExitCode::no_permission
                          : *problem == RecipientProblem::no_address ? ExitCode::usage
                                                                      : ExitCode::no_user;
        return fail(code, describe(*problem) + ": " + redacted_recipient(*address));
    }
    if (const auto* error = std::get_if<MailParseError>(&parsed)) return fail(ExitCode::data_error, error->message);
    auto& mail = std::get<MailNotification>(parsed);
    fit_notification(mail, settings_.max_notification_bytes);
    const auto& target = std::get<MailRecipient>(recipient);
    return outcome_of(post_(settings_.endpoint, target, mail), target.node);
}

}  // namespace herald::ingest
