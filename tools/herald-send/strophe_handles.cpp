#include "tools/herald-send/strophe_handles.h"

namespace herald::ingest {

const char* stream_error_condition(xmpp_error_type_t type) {
    switch (type) {
        case XMPP_SE_BAD_FORMAT: return "bad-format";
        case XMPP_SE_BAD_NS_PREFIX: return "bad-namespace-prefix";
        case XMPP_SE_CONFLICT: return "conflict";
        case XMPP_SE_CONN_TIMEOUT: return "connection-timeout";
        case XMPP_SE_HOST_GONE: return "host-gone";
        case XMPP_SE_HOST_UNKNOWN: return "host-unknown";
        case XMPP_SE_IMPROPER_ADDR: return "improper-addressing";
        case XMPP_SE_INTERNAL_SERVER_ERROR: return "internal-server-error";
        case XMPP_SE_INVALID_FROM: return "invalid-from";
        case XMPP_SE_INVALID_ID: return "invalid-id";
        case XMPP_SE_INVALID_NS: return "invalid-namespace";
        case XMPP_SE_INVALID_XML: return "invalid-xml";
        case XMPP_SE_NOT_AUTHORIZED: return "not-authorized";
        case XMPP_SE_POLICY_VIOLATION: return "policy-violation";
        case XMPP_SE_REMOTE_CONN_FAILED: return "remote-connection-failed";
        case XMPP_SE_RESOURCE_CONSTRAINT: return "resource-constraint";
        case XMPP_SE_RESTRICTED_XML: return "restricted-xml";
        case XMPP_SE_SEE_OTHER_HOST: return "see-other-host";
        case XMPP_SE_SYSTEM_SHUTDOWN: return "system-shutdown";
        case XMPP_SE_UNDEFINED_CONDITION: return "undefined-condition";
        case XMPP_SE_UNSUPPORTED_ENCODING: return "unsupported-encoding";
        case XMPP_SE_UNSUPPORTED_STANZA_TYPE: return "unsupported-stanza-type";
        case XMPP_SE_UNSUPPORTED_VERSION: return "unsupported-version";
        case XMPP_SE_XML_NOT_WELL_FORMED: return "not-well-formed";
    }
    return "undefined-condition";
}

}  // namespace herald::ingest
