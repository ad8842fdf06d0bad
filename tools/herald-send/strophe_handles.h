#pragma once

// RAII owners for libstrophe objects.

#include <memory>

#include <strophe.h>

namespace herald::ingest {

// xmpp_initialize() and xmpp_shutdown() for the lifetime of one object;
// create exactly one, before any connection, and keep it until the end.
class StropheLibrary {
public:
    StropheLibrary() { xmpp_initialize(); }
    ~StropheLibrary() { xmpp_shutdown(); }
    StropheLibrary(const StropheLibrary&) = delete;
    StropheLibrary& operator=(const StropheLibrary&) = delete;
};

struct StropheContextDeleter {
    void operator()(xmpp_ctx_t* context) const { xmpp_ctx_free(context); }
};
struct StropheConnectionDeleter {
    void operator()(xmpp_conn_t* connection) const { xmpp_conn_release(connection); }
};
struct StropheStanzaDeleter {
    void operator()(xmpp_stanza_t* stanza) const { xmpp_stanza_release(stanza); }
};

using StropheContext = std::unique_ptr<xmpp_ctx_t, StropheContextDeleter>;
using StropheConnection = std::unique_ptr<xmpp_conn_t, StropheConnectionDeleter>;
using StropheStanza = std::unique_ptr<xmpp_stanza_t, StropheStanzaDeleter>;

// The RFC 6120 name of a stream error libstrophe reports.
const char* stream_error_condition(xmpp_error_type_t type);

}  // namespace herald::ingest
