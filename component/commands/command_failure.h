#pragma once

#include <exception>
#include <string>

namespace herald::component::commands {

// Why a command did not do what was asked, for either front end: the ad-hoc
// one answers with the stanza error (or shows the form again with `text`),
// the chat one with `text`.
struct CommandFailure {
    std::string type;       // XMPP error type: auth, cancel, modify, wait
    std::string condition;  // XMPP error condition
    std::string text;       // what a person reads
    bool refused = false;   // a rule said no (the person can change something), rather than Herald failing
};

// Reads a command's exception: a routing::PubsubError is a refusal; a
// storage::StorageError or anything else is a failure, logged with `requester`.
CommandFailure command_failure(std::exception_ptr error, const std::string& requester);

}  // namespace herald::component::commands
