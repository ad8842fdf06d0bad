#include "tools/herald-send/herald_send.h"

#include <cstdint>
#include <cstdio>
#include <exception>
#include <random>
#include <variant>

#include <unistd.h>

#include "tools/exit_code.h"
#include "tools/herald-send/herald_send_inputs.h"
#include "tools/herald-send/publish_outcome.h"
#include "tools/herald-send/publish_request.h"
#include "tools/herald-send/publish_session.h"
#include "tools/herald-send/strophe_handles.h"

namespace herald::ingest {

namespace {

using Clock = std::chrono::steady_clock;

std::string fresh_stanza_id() {
    std::random_device entropy;
    const std::uint64_t bits = (static_cast<std::uint64_t>(entropy()) << 32) ^ entropy();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bits));
    return std::string("herald-send-") + hex;
}

int report(const PublishOutcome& outcome, std::ostream& out, std::ostream& err) {
    if (!outcome.output.empty()) out << outcome.output << "\n" << std::flush;
    if (!outcome.error.empty()) err << outcome.error << "\n";
    return exit_status(outcome.exit_code);
}

PublishOutcome acknowledgement_outcome(PublishSession& session, const PublishRequest& request,
                                       const std::string& item_id, std::chrono::seconds wait) {
    if (item_id.empty())
        return {ExitCode::refused, "",
                "herald-send: the service did not say the published item's id, so its acknowledgement "
                "cannot be recognised"};
    const AcknowledgementResult result =
        session.wait_for_acknowledgement(request.service, request.node, item_id, wait);
    if (const auto* acknowledgement = std::get_if<Acknowledgement>(&result))
        return outcome_of_acknowledgement(*acknowledgement);
    return outcome_of_failure(std::get<SessionFailure>(result));
}

// Publishes and reports; with --wait, the item id is reported at once (a
// script sees it while herald-send waits) and the acknowledgement after.
int publish(const HeraldSendOptions& options, const PublishRequest& request, const std::string& password,
            Clock::time_point deadline, std::ostream& out, std::ostream& err) {
    const StropheLibrary library;
    PublishSession session(options.connection, password, options.verbose, err);
    const std::string stanza_id = fresh_stanza_id();
    const PublishResult result = session.publish(publish_iq_xml(request, stanza_id), stanza_id, deadline);
    const auto* reply = std::get_if<PublishReply>(&result);
    PublishOutcome outcome = reply ? outcome_of_reply(*reply, request)
                                   : outcome_of_failure(std::get<SessionFailure>(result));
    if (options.wait && outcome.exit_code == ExitCode::ok) {
        report(outcome, out, err);
        outcome = acknowledgement_outcome(session, request, outcome.output, *options.wait);
    }
    session.close();
    return report(outcome, out, err);
}

// No title and no body: a usage error when no body was read at all, a
// data error when the body read from a file or stdin was empty.
int nothing_to_publish(const BodySource& body, std::ostream& err) {
    const bool nothing_read = body.kind == BodySource::Kind::text ||
                              (body.kind == BodySource::Kind::standard_input_if_piped &&
                               ::isatty(STDIN_FILENO));
    if (nothing_read) {
        err << "herald-send: nothing to publish: give --title or --body\n"
               "Try 'herald-send --help'.\n";
        return exit_status(ExitCode::usage);
    }
    const std::string source = body.kind == BodySource::Kind::file ? body.value : "stdin";
    err << "herald-send: nothing to publish: the body from " << source
        << " is empty and there is no --title\n";
    return exit_status(ExitCode::data_error);
}

}  // namespace

int run_herald_send(const std::vector<std::string>& arguments, const EnvironmentLookup& environment,
                    std::ostream& out, std::ostream& err) {
    const auto started = Clock::now();
    ParsedCommandLine command_line;
    try {
        command_line = parse_herald_send_command_line(arguments, environment);
    } catch (const UsageError& error) {
        err << "herald-send: " << error.what() << "\nTry 'herald-send --help'.\n";
        return exit_status(ExitCode::usage);
    }
    if (command_line.help) {
        out << herald_send_usage();
        return exit_status(ExitCode::ok);
    }
    const HeraldSendOptions& options = command_line.options;
    const auto deadline = started + options.timeout;

    try {
        const std::string password = read_password(options, environment);
        PublishRequest request = options.request;
        request.notification.body = read_body(options.body, deadline);
        if (!request.notification.has_content()) return nothing_to_publish(options.body, err);
        return publish(options, request, password, deadline, out, err);
    } catch (const InputError& error) {
        err << "herald-send: " << error.what() << "\n";
        return exit_status(error.exit_code());
    } catch (const std::exception& error) {
        err << "herald-send: " << error.what() << "\n";
        return exit_status(ExitCode::refused);
    }
}

}  // namespace herald::ingest
