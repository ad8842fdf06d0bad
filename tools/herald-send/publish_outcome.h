#pragma once

#include <string>

#include "tools/exit_code.h"
#include "tools/herald-send/publish_reply.h"
#include "tools/herald-send/publish_request.h"
#include "tools/herald-send/session_failure.h"

namespace herald::ingest {

// What herald-send reports: the exit status, the line for stdout (the item
// id) and the message for stderr; each line may be empty.
struct PublishOutcome {
    ExitCode exit_code = ExitCode::ok;
    std::string output;
    std::string error;
};

// The exit status for a stanza error, first rule that matches:
//   type wait                                            75 (try again later)
//   type auth, forbidden, not-authorized,
//     registration-required                              77
//   bad-request, not-acceptable, policy-violation        65 (the payload)
//   service-unavailable, remote-server-not-found,
//     remote-server-timeout                              69 (unreachable)
//   anything else, e.g. item-not-found                   1
ExitCode exit_code_for(const StanzaError& error);

// "forbidden (auth)", with the application condition and the text if any.
std::string describe(const StanzaError& error);

PublishOutcome outcome_of_reply(const PublishReply& reply, const PublishRequest& request);
PublishOutcome outcome_of_failure(const SessionFailure& failure);
// "acknowledged by JID at STAMP" on stdout, exit 0.
PublishOutcome outcome_of_acknowledgement(const Acknowledgement& acknowledgement);

}  // namespace herald::ingest
