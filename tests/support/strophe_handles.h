#pragma once

// RAII owners for libstrophe objects, shared by the test-support classes.

#include <memory>

#include <strophe.h>

namespace herald::testing {

// xmpp_initialize() is process-wide; this runs it exactly once (thread-safe)
// and never calls xmpp_shutdown(), so it is safe from any thread at any time.
void ensure_libstrophe_initialized();

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

}  // namespace herald::testing
