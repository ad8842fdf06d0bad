#include "tools/herald-send/publish_outcome.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "text/safe_text.h"

namespace herald::ingest {

namespace {

constexpr std::string_view kProgram = "herald-send: ";

constexpr std::array<std::string_view, 3> kPermissionConditions{
    "forbidden", "not-authorized", "registration-required"};
constexpr std::array<std::string_view, 3> kPayloadConditions{
    "bad-request", "not-acceptable", "policy-violation"};
constexpr std::array<std::string_view, 3> kUnreachableConditions{
    "service-unavailable", "remote-server-not-found", "remote-server-timeout"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& conditions, std::string_view condition) {
    return std::find(conditions.begin(), conditions.end(), condition) != conditions.end();
}

// The service's text, printable and on one line.
std::string one_line(std::string_view text) {
    std::string line = text::clean(text);
    std::replace_if(line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return line;
}

}  // namespace

ExitCode exit_code_for(const StanzaError& error) {
    if (error.type == "wait") return ExitCode::temporary_failure;
    if (error.type == "auth" || one_of(kPermissionConditions, error.condition))
        return ExitCode::no_permission;
    if (one_of(kPayloadConditions, error.condition)) return ExitCode::data_error;
    if (one_of(kUnreachableConditions, error.condition)) return ExitCode::unavailable;
    return ExitCode::refused;
}

std::string describe(const StanzaError& error) {
    std::string text = error.condition.empty() ? "an error without a condition" : error.condition;
    if (!error.type.empty()) text += " (" + error.type + ")";
    if (!error.application_condition.empty()) {
        text += error.application_namespace == kPubsubErrorNs ? ", pubsub error " : ", ";
        text += error.application_condition;
        if (!error.unsupported_feature.empty())
            text += " feature '" + error.unsupported_feature + "'";
    }
    if (!error.text.empty()) text += ": " + error.text;
    return text;
}

PublishOutcome outcome_of_reply(const PublishReply& reply, const PublishRequest& request) {
    if (reply.error)
        return {exit_code_for(*reply.error), "",
                std::string(kProgram) + "publish to node '" + request.node + "' on " +
                    request.service + " failed: " + describe(*reply.error)};
    return {ExitCode::ok, reply.item_id.value_or(request.item_id.value_or("")), ""};
}

PublishOutcome outcome_of_failure(const SessionFailure& failure) {
    using Kind = SessionFailure::Kind;
    ExitCode code = ExitCode::unavailable;
    switch (failure.kind) {
        case Kind::cannot_connect:
        case Kind::tls_failed:
        case Kind::connection_lost: code = ExitCode::unavailable; break;
        case Kind::authentication_failed: code = ExitCode::no_permission; break;
        case Kind::timed_out: code = ExitCode::temporary_failure; break;
        case Kind::stream_error:
            if (failure.stream_error == "not-authorized") code = ExitCode::no_permission;
            // After login the only thing sent was the publish: the server
            // refused it, typically as too big.
            else if (failure.logged_in && failure.stream_error == "policy-violation")
                code = ExitCode::data_error;
            break;
    }
    return {code, "", std::string(kProgram) + failure.detail};
}

PublishOutcome outcome_of_acknowledgement(const Acknowledgement& acknowledgement) {
    return {ExitCode::ok,
            "acknowledged by " + one_line(acknowledgement.by) + " at " + one_line(acknowledgement.stamp), ""};
}

}  // namespace herald::ingest
