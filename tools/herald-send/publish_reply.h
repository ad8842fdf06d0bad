#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <strophe.h>

namespace herald::ingest {

inline constexpr const char* kStanzaErrorNs = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr const char* kPubsubErrorNs = "http://jabber.org/protocol/pubsub#errors";

// The <error/> of an IQ error reply (RFC 6120 §8.3).
struct StanzaError {
    std::string type;       // cancel, continue, modify, auth or wait
    std::string condition;  // e.g. forbidden; "" when the reply names none
    std::string text;
    // The application-specific condition, e.g. invalid-payload, and its
    // namespace (http://jabber.org/protocol/pubsub#errors for XEP-0060).
    std::string application_condition;
    std::string application_namespace;
    std::string unsupported_feature;  // <unsupported feature='...'/>
};

// What the service answered to the publish, independent of libstrophe.
struct PublishReply {
    std::optional<std::string> item_id;  // <pubsub><publish><item id/> of a result
    std::optional<StanzaError> error;    // set for type='error'

    static PublishReply from_stanza(xmpp_stanza_t* iq);
};

// A person acknowledged a published item: the service's message carrying
// <acknowledged xmlns='urn:herald:0' node item by stamp/>.
struct Acknowledgement {
    std::string from;  // the message's sender, the service for a real one
    std::string node;
    std::string item_id;
    std::string by;     // the acknowledger's bare JID
    std::string stamp;  // when, as the service wrote it (XEP-0082)

    // nullopt for any other stanza.
    static std::optional<Acknowledgement> from_stanza(xmpp_stanza_t* message);

    // Sent by `service` (its bare JID or a resource of it), for `item_id`
    // of `node`.
    bool is_for(std::string_view service, std::string_view published_node,
                std::string_view published_item_id) const;
};

}  // namespace herald::ingest
