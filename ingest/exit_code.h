#pragma once

namespace herald::ingest {

// herald-send's and herald ingest-mail's exit status; the values are those
// of <sysexits.h>.
enum class ExitCode : int {
    ok = 0,
    refused = 1,             // any other stanza error, e.g. item-not-found
    usage = 64,              // EX_USAGE
    data_error = 65,         // EX_DATAERR: bad-request, not-acceptable, nothing to publish
    no_input = 66,           // EX_NOINPUT: password or body file unreadable
    no_user = 67,            // EX_NOUSER: ingest-mail: no such node, no token in the address
    unavailable = 69,        // EX_UNAVAILABLE: cannot connect, service unreachable
    temporary_failure = 75,  // EX_TEMPFAIL: wait-type errors, timeouts
    no_permission = 77,      // EX_NOPERM: authentication failed, forbidden, not-authorized
    config = 78,             // EX_CONFIG: ingest-mail: the configuration cannot be used
};

inline int exit_status(ExitCode code) { return static_cast<int>(code); }

}  // namespace herald::ingest
