#pragma once

// RAII owners for libstrophe objects, shared by the test-support classes.

#include <memory>

#include <strophe.h>

#include "tools/herald-send/strophe_handles.h"

namespace herald::testing {

// xmpp_initialize() is process-wide; this runs it exactly once (thread-safe)
// and never calls xmpp_shutdown(), so it is safe from any thread at any time.
void ensure_libstrophe_initialized();

// The owners and names themselves are ingest's, shared with herald-send.
using ingest::StropheConnection;
using ingest::StropheContext;
using ingest::StropheStanza;
using ingest::stream_error_condition;

}  // namespace herald::testing
