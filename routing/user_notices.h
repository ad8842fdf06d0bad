#pragma once

#include <string>
#include <vector>

#include "storage/pubsub_records.h"

namespace herald::routing {

// What the services tell people over XMPP, apart from notifications; the
// component renders each as the stanza it has always been.
class UserNotices {
public:
    virtual ~UserNotices() = default;

    // Asks the user's server for a presence subscription and says we are here.
    virtual void ask_presence(const std::string& bare_jid) = 0;
    // Tells the user's server we are gone (unavailable, unsubscribe, unsubscribed).
    virtual void say_goodbye(const std::string& bare_jid) = 0;
    // A chat message to a person (a bare or full JID).
    virtual void say(const std::string& jid, const std::string& text) = 0;
    // Tells each former subscriber that a topic is gone.
    virtual void topic_deleted(const std::string& node, const std::vector<std::string>& subscribers) = 0;

    enum class AckAudience { recipient, publisher };
    // "Acknowledged by ...": a chat message to a recipient, a normal one to the publisher.
    virtual void acknowledged(const std::string& to, const storage::Item& item, AckAudience audience) = 0;
};

}  // namespace herald::routing
