#include "component/ingest_mail_command.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "component/config.h"
#include "ingest/mail_ingest.h"

namespace herald::component {
namespace {

using ingest::ExitCode;

constexpr const char* kPrefix = "herald ingest-mail: ";

int report(ExitCode code, const std::string& message) {
    if (code != ExitCode::ok) std::cerr << kPrefix << message << "\n";
    return ingest::exit_status(code);
}

// The API's address and limits; nullopt (reported) when the config cannot serve.
std::optional<ingest::MailIngestSettings> settings_from(const std::string& path, std::chrono::seconds timeout) {
    const auto loaded = load_config_file(path, ComponentSecret::skip);
    for (const auto& error : loaded.errors) std::cerr << kPrefix << format_error(path, error) << "\n";
    if (!loaded.config) return std::nullopt;
    const auto& config = *loaded.config;
    if (!config.http.enabled) {
        std::cerr << kPrefix << path << ": http.enabled is false; ingest-mail publishes through the HTTP API\n";
        return std::nullopt;
    }
    if (config.http.port == 0) {
        std::cerr << kPrefix << path << ": http.port is 0 (any free port); give the port herald listens on\n";
        return std::nullopt;
    }
    return ingest::MailIngestSettings{{ingest::api_base_url(config.http.address, config.http.port), timeout},
                                      std::min(config.http.max_body_bytes, config.pubsub.max_payload_bytes), std::nullopt};
}

// The tokens of --token-file; nullopt (reported) when the file is unusable.
// Like an ssh key, it may not be readable by everyone.
std::optional<ingest::TopicTokens> tokens_from(const std::string& path) {
    struct stat status {};
    std::ifstream in(path, std::ios::binary);
    if (!in || ::stat(path.c_str(), &status) != 0) {
        std::cerr << kPrefix << "cannot read the token file " << path << "\n";
        return std::nullopt;
    }
    if (status.st_mode & S_IRWXO) {
        std::cerr << kPrefix << "the token file " << path << " is open to every user; chmod o-rwx it\n";
        return std::nullopt;
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto parsed = ingest::parse_topic_tokens(text);
    if (const auto* line = std::get_if<std::size_t>(&parsed)) {
        std::cerr << kPrefix << path << " line " << *line << ": expected TOPIC TOKEN\n";
        return std::nullopt;
    }
    return std::get<ingest::TopicTokens>(std::move(parsed));
}

std::optional<std::string> environment_variable(const char* name) {
    const char* value = std::getenv(name);
    if (!value) return std::nullopt;
    return std::string(value);
}

}  // namespace

int run_ingest_mail(const std::vector<std::string>& arguments) {
    const auto parsed = ingest::parse_ingest_mail_options(arguments);
    if (const auto* error = std::get_if<ingest::IngestMailUsageError>(&parsed)) {
        std::cerr << kPrefix << error->message << "\n" << ingest::ingest_mail_usage();
        return ingest::exit_status(ExitCode::usage);
    }
    const auto& options = std::get<ingest::IngestMailOptions>(parsed);
    if (options.help) {
        std::cout << ingest::ingest_mail_usage();
        return 0;
    }
    auto settings = settings_from(options.config_path, options.timeout);
    if (!settings) return ingest::exit_status(ExitCode::config);
    if (options.token_file) {
        settings->topic_tokens = tokens_from(*options.token_file);
        if (!settings->topic_tokens) return ingest::exit_status(ExitCode::config);
    }
    const ingest::MailIngest ingest(*settings, environment_variable);
    const auto outcome = ingest.run(std::cin, options.recipient, options.max_message_bytes);
    return report(outcome.code, outcome.message);
}

}  // namespace herald::component
