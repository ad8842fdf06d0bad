#pragma once

namespace herald::ingest {

// herald-send's, herald ingest-mail's and herald admin's exit status; the
// values are those of <sysexits.h>.
enum class ExitCode : int {
    ok = 0,
    refused = 1,             // any other stanza error, e.g. item-not-found
    usage = 64,              // EX_USAGE
    data_error = 65,         // EX_DATAERR: bad-request, not-acceptable, nothing to publish
    no_input = 66,           // EX_NOINPUT: password or body file unreadable
    no_user = 67,            // EX_NOUSER: ingest-mail: no such node, no token in the address
    unavailable = 69,        // EX_UNAVAILABLE: cannot connect, service unreachable
    software = 70,           // EX_SOFTWARE: admin: an unexpected failure
    cannot_create = 73,      // EX_CANTCREAT: admin backup: the file cannot be created
    io_error = 74,           // EX_IOERR: admin backup: reading or writing failed
    temporary_failure = 75,  // EX_TEMPFAIL: wait-type errors, timeouts
    no_permission = 77,      // EX_NOPERM: authentication failed, forbidden, not-authorized
    config = 78,             // EX_CONFIG: ingest-mail: the configuration cannot be used
};

inline int exit_status(ExitCode code) { return static_cast<int>(code); }

}  // namespace herald::ingest
