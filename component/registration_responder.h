#pragma once

#include "component/stanza_dispatcher.h"
#include "routing/user_service.h"

namespace herald::component {

class DiscoResponder;

// XEP-0077 in-band registration with the component: get, set, remove.
class RegistrationResponder {
public:
    RegistrationResponder(StanzaDispatcher& dispatcher, DiscoResponder& disco, routing::UserService& users);

private:
    void get(const XmlElement& iq, IqReply reply);
    void set(const XmlElement& iq, const XmlElement& query, IqReply reply);

    routing::UserService& users_;
};

}  // namespace herald::component
