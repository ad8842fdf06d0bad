#include "tools/herald-send/herald_send_options.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <set>

namespace herald::ingest {

namespace {

constexpr std::string_view kUsage = R"usage(usage: herald-send --jid USER@DOMAIN --to SERVICE --node NODE [options]

Publishes one notification to a Herald service (an XEP-0060 publish over an
IQ) and prints the id of the published item. With --ack --wait it then waits
until a person acknowledges the item and prints who did.

Logging in:
  --jid USER@DOMAIN       the XMPP account to log in as
  --password-file FILE    the password is FILE's first line; without this
                          option it is the HERALD_PASSWORD environment
                          variable (never a command-line argument)
  --server HOST           connect to HOST instead of the JID's domain (which
                          is resolved with DNS SRV, then used as a host name)
  --port N                the port (default: from DNS SRV, else 5222)
  --tls require|allow|off require: STARTTLS or fail; allow (default): STARTTLS
                          when the server offers it, plaintext otherwise;
                          off: never TLS
  --insecure              accept a TLS certificate that does not verify
                          (self-signed, wrong name): a test server only
  --timeout SECONDS       bound on logging in and publishing (default 30);
                          --wait comes on top of it
  --verbose               libstrophe's connection log on stderr (no secrets)

The notification:
  --to SERVICE            the Herald component's JID, e.g. notify.example.org
  --node NODE             the topic, e.g. backups or inbox/alice@example.org
  --title TEXT
  --body TEXT             the body; "-" reads it from stdin, "" means none
  --body-file FILE        the body is FILE's content ("-": stdin)
  --link URL
  --priority low|normal|high|urgent
  --ttl SECONDS           how long it is worth delivering
  --item-id ID            the item's id (default: the service picks one)

Acknowledgement (a person confirms they saw it):
  --ack                   ask for one: the item keeps escalating until a
                          recipient acknowledges it (replies "ack", reacts
                          with a thumbs up, ...)
  --renotify SECONDS      remind the recipients every SECONDS while nobody
                          has acknowledged it (for --ack, or a topic that
                          asks for acknowledgements by default)
  --wait SECONDS          with --ack: after printing the item id, stay
                          connected up to SECONDS for the acknowledgement;
                          print "acknowledged by JID at TIME" and exit 0, or
                          exit 75 when nobody acknowledged it in time
                          (at most 604800, a week)

A notification needs a title, a body or both. Without --body or --body-file
the body is read from stdin unless stdin is a terminal (trailing newlines
are dropped; an empty body is left out). In a `while read` loop, give --body
or redirect stdin from /dev/null, or herald-send reads the loop's input.

Priority and ttl go into the payload and into <publish-options> (fields
herald#priority, herald#ttl); --ack and --renotify into <publish-options>
only (herald#ack = required, herald#renotify); left out, there are no
publish-options and the service's defaults apply (priority normal).

Exit status (sysexits):
   0  published; the item id is on stdout; with --wait, acknowledged too,
      and "acknowledged by JID at TIME" follows on its own line
   1  any other stanza error, e.g. item-not-found (no such node)
  64  bad usage
  65  the payload was refused: bad-request, not-acceptable, policy-violation;
      or the body read is empty and there is no --title
  66  the password file or body file cannot be read
  69  cannot connect or lost the connection; TLS failed; the service is
      unreachable: service-unavailable, remote-server-not-found,
      remote-server-timeout
  75  temporary failure, try again later: any stanza error of type wait,
      whatever its condition (e.g. resource-constraint, internal-server-error
      with type wait); or --timeout elapsed; or --wait elapsed and nobody
      acknowledged the item (its id is on stdout)
  77  authentication failed (wrong password, unknown account); forbidden,
      not-authorized, registration-required, any error of type auth

Examples:
  # crontab (one line): tell the backups topic when the nightly backup fails
  0 3 * * *  /usr/local/bin/nightly-backup || herald-send --jid backup@example.org --password-file /etc/herald/backup.pass --to notify.example.org --node backups --priority high --ttl 86400 --title "Backup failed on db1" --body "nightly-backup exited with an error"

  # page the on-call topic; wait up to 10 minutes for someone to say ack
  herald-send --jid monitor@example.org --password-file /etc/herald/monitor.pass \
      --to notify.example.org --node oncall --priority urgent --title "db1 down" \
      --ack --renotify 120 --wait 600 || escalate-by-phone "db1 down"

  # the last 20 lines of a log as the body
  tail -n 20 /var/log/app/error.log | herald-send --jid app@example.org \
      --password-file ~/.config/herald/password --to notify.example.org \
      --node app-errors --title "app errors on $(hostname)"

  # the password from the environment, e.g. a CI secret
  HERALD_PASSWORD="$CI_HERALD_PASSWORD" herald-send --jid ci@example.org \
      --to notify.example.org --node deploys --title "v1.2 deployed" \
      --link https://ci.example.org/job/42 --body ""
)usage";

// Largest accepted value for --ttl: about 68 years.
constexpr std::int64_t kMaxTtlSeconds = 2147483647;
constexpr std::int64_t kMaxTimeoutSeconds = 86400;
constexpr std::int64_t kMaxWaitSeconds = 7 * 86400;

std::int64_t whole_number(std::string_view option, const std::string& value, std::int64_t lowest,
                          std::int64_t highest) {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || error != std::errc() || end != value.data() + value.size())
        throw UsageError(std::string(option) + " needs a whole number, not '" + value + "'");
    if (number < lowest || number > highest)
        throw UsageError(std::string(option) + " must be between " + std::to_string(lowest) +
                         " and " + std::to_string(highest) + ", not " + value);
    return number;
}

TlsPolicy tls_policy(const std::string& value) {
    if (value == "require") return TlsPolicy::require;
    if (value == "allow") return TlsPolicy::allow;
    if (value == "off") return TlsPolicy::off;
    throw UsageError("--tls must be require, allow or off, not '" + value + "'");
}

NotificationPriority priority(const std::string& value) {
    if (const auto known = priority_from_name(value)) return *known;
    throw UsageError("--priority must be low, normal, high or urgent, not '" + value + "'");
}

BodySource body_source(BodySource::Kind kind, const std::string& value) {
    if (value == "-") return {BodySource::Kind::standard_input, ""};
    return {kind, value};
}

struct OptionSpec {
    std::string_view name;
    bool takes_value;
    void (*apply)(HeraldSendOptions& options, const std::string& value);
};

constexpr std::array<OptionSpec, 20> kOptions{{
    {"--jid", true, [](HeraldSendOptions& o, const std::string& v) { o.connection.jid = v; }},
    {"--password-file", true, [](HeraldSendOptions& o, const std::string& v) { o.password_file = v; }},
    {"--server", true, [](HeraldSendOptions& o, const std::string& v) { o.connection.server = v; }},
    {"--port", true,
     [](HeraldSendOptions& o, const std::string& v) {
         o.connection.port = static_cast<int>(whole_number("--port", v, 1, 65535));
     }},
    {"--tls", true, [](HeraldSendOptions& o, const std::string& v) { o.connection.tls = tls_policy(v); }},
    {"--insecure", false, [](HeraldSendOptions& o, const std::string&) { o.connection.insecure = true; }},
    {"--timeout", true,
     [](HeraldSendOptions& o, const std::string& v) {
         o.timeout = std::chrono::seconds(whole_number("--timeout", v, 1, kMaxTimeoutSeconds));
     }},
    {"--verbose", false, [](HeraldSendOptions& o, const std::string&) { o.verbose = true; }},
    {"--to", true, [](HeraldSendOptions& o, const std::string& v) { o.request.service = v; }},
    {"--node", true, [](HeraldSendOptions& o, const std::string& v) { o.request.node = v; }},
    {"--title", true, [](HeraldSendOptions& o, const std::string& v) { o.request.notification.title = v; }},
    {"--body", true,
     [](HeraldSendOptions& o, const std::string& v) { o.body = body_source(BodySource::Kind::text, v); }},
    {"--body-file", true,
     [](HeraldSendOptions& o, const std::string& v) { o.body = body_source(BodySource::Kind::file, v); }},
    {"--link", true, [](HeraldSendOptions& o, const std::string& v) { o.request.notification.link = v; }},
    {"--priority", true,
     [](HeraldSendOptions& o, const std::string& v) { o.request.notification.priority = priority(v); }},
    {"--ttl", true,
     [](HeraldSendOptions& o, const std::string& v) {
         o.request.notification.ttl_seconds = whole_number("--ttl", v, 1, kMaxTtlSeconds);
     }},
    {"--item-id", true, [](HeraldSendOptions& o, const std::string& v) { o.request.item_id = v; }},
    {"--ack", false,
     [](HeraldSendOptions& o, const std::string&) { o.request.acknowledgement.required = true; }},
    {"--renotify", true,
     [](HeraldSendOptions& o, const std::string& v) {
         o.request.acknowledgement.renotify_seconds = whole_number("--renotify", v, 1, kMaxTtlSeconds);
     }},
    {"--wait", true,
     [](HeraldSendOptions& o, const std::string& v) {
         o.wait = std::chrono::seconds(whole_number("--wait", v, 1, kMaxWaitSeconds));
     }},
}};

const OptionSpec* find_option(std::string_view name) {
    const auto found = std::find_if(kOptions.begin(), kOptions.end(),
                                    [&](const OptionSpec& spec) { return spec.name == name; });
    return found == kOptions.end() ? nullptr : &*found;
}

// user@domain or user@domain/resource, with all three parts non-empty.
bool plausible_account_jid(std::string_view jid) {
    const auto at = jid.find('@');
    if (at == std::string_view::npos || at == 0) return false;
    const auto slash = jid.find('/', at);
    const auto domain = jid.substr(at + 1, slash == std::string_view::npos ? jid.npos : slash - at - 1);
    if (domain.empty() || domain.find('@') != std::string_view::npos) return false;
    return slash == std::string_view::npos || slash + 1 < jid.size();
}

void check_complete(const HeraldSendOptions& options, const EnvironmentLookup& environment) {
    if (options.connection.jid.empty()) throw UsageError("--jid USER@DOMAIN is required");
    if (!plausible_account_jid(options.connection.jid))
        throw UsageError("--jid needs an account's JID, user@domain, not '" + options.connection.jid + "'");
    if (options.request.service.empty())
        throw UsageError("--to SERVICE is required (the Herald component's JID)");
    if (options.request.node.empty()) throw UsageError("--node NODE is required");
    if (options.wait && !options.request.acknowledgement.required)
        throw UsageError("--wait needs --ack: only an item that asks for an acknowledgement gets one");
    if (!options.password_file) {
        const auto password = environment(kPasswordVariable);
        if (!password || password->empty())
            throw UsageError(std::string("no password: give --password-file FILE or set ") +
                             kPasswordVariable);
    }
}

}  // namespace

ParsedCommandLine parse_herald_send_command_line(const std::vector<std::string>& arguments,
                                                 const EnvironmentLookup& environment) {
    ParsedCommandLine parsed;
    std::set<std::string_view> seen;
    bool body_given = false;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        const auto equals = argument.find('=');
        const std::string name = argument.substr(0, equals);
        if (name == "-h" || name == "--help") {
            parsed.help = true;
            return parsed;
        }
        if (name == "--password")
            throw UsageError("--password is not accepted: other users can read command lines; "
                             "use --password-file FILE or the HERALD_PASSWORD variable");
        const OptionSpec* option = find_option(name);
        if (!option) {
            if (argument.rfind("-", 0) == 0) throw UsageError("unknown option '" + name + "'");
            throw UsageError("unexpected argument '" + argument + "'");
        }
        if (!seen.insert(option->name).second)
            throw UsageError(std::string(option->name) + " is given more than once");
        const bool is_body = option->name == "--body" || option->name == "--body-file";
        if (is_body && body_given) throw UsageError("give either --body or --body-file, not both");
        body_given = body_given || is_body;

        std::string value;
        if (!option->takes_value) {
            if (equals != std::string::npos)
                throw UsageError(std::string(option->name) + " takes no value");
        } else if (equals != std::string::npos) {
            value = argument.substr(equals + 1);
        } else if (i + 1 < arguments.size()) {
            value = arguments[++i];
        } else {
            throw UsageError(std::string(option->name) + " needs a value");
        }
        if (option->takes_value && value.empty() && option->name != "--body")
            throw UsageError(std::string(option->name) + " needs a non-empty value");
        option->apply(parsed.options, value);
    }
    check_complete(parsed.options, environment);
    return parsed;
}

std::string_view herald_send_usage() { return kUsage; }

}  // namespace herald::ingest
