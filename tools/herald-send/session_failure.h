#pragma once

#include <string>

namespace herald::ingest {

// Why a publish session ended without a reply to the publish.
struct SessionFailure {
    enum class Kind {
        cannot_connect,         // no TCP connection, or it closed during login
        tls_failed,             // the TLS handshake or certificate check failed
        authentication_failed,  // SASL failure: wrong password or unknown account
        stream_error,           // the server closed the stream with <stream:error/>
        connection_lost,        // the connection ended after login, before the reply
        timed_out,              // --timeout elapsed
    };

    Kind kind = Kind::cannot_connect;
    bool logged_in = false;          // the session was established before it ended
    std::string stream_error;        // the condition, for Kind::stream_error
    std::string detail;              // what happened, in words
};

}  // namespace herald::ingest
