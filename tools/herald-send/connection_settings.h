#pragma once

#include <optional>
#include <string>

namespace herald::ingest {

enum class TlsPolicy {
    require,  // STARTTLS or no session
    allow,    // STARTTLS when the server offers it, plaintext otherwise
    off,      // never TLS
};

// Where and how to log in; the password travels separately.
struct ConnectionSettings {
    std::string jid;                    // user@domain, optionally /resource
    std::optional<std::string> server;  // default: resolved from the JID's domain
    std::optional<int> port;            // default: from DNS SRV, else 5222
    TlsPolicy tls = TlsPolicy::allow;
    bool insecure = false;              // accept a certificate that does not verify
};

}  // namespace herald::ingest
