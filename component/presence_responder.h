#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <optional>
#include <set>
#include <string>

#include "component/config.h"
#include "component/stanza_dispatcher.h"
#include "routing/probe_rounds.h"
#include "routing/user_presence.h"

namespace herald::routing {
class Router;
class UserService;
}  // namespace herald::routing

namespace herald::storage {
class StorageWorker;
}

namespace herald::component {

// RFC 6121 presence between users and the component: tracks users' resources
// through the routing::Router, handles subscriptions (registering on subscribe when
// configured), answers probes, and on every (re)connection announces herald
// and probes every registered user, a page of users at a time; those who do
// not answer are probed again (routing::ProbeRounds).
//
// Subscriptions are mutual: herald approves a registered user's subscribe
// and asks for theirs back every time (a contact removed and added again).
// When herald learns it lost its subscription to a registered user
// (unsubscribed or unsubscribe), it asks again and tells them once, in chat,
// why notifications wait and how to fix it.
class PresenceResponder {
public:
    PresenceResponder(boost::asio::io_context& io, StanzaDispatcher& dispatcher, StanzaSender& sender,
                      routing::UserOutbox& outbox, routing::Router& router, routing::UserService& users,
                      storage::StorageWorker& storage, const Config& config);

    // Unavailable presence to every user we know to be online; returns how many.
    std::size_t say_goodbye();
    // Shutting down: no more probes.
    void stop();

private:
    void on_available(const XmlElement& presence);
    // Any presence of a user's resource (`state` empty: gone) answers a probe.
    void on_presence(const std::string& from, std::optional<routing::ResourcePresence> state);
    void on_unavailable(const XmlElement& presence);
    void on_subscribe(const XmlElement& presence);
    void on_subscribed(const XmlElement& presence);
    void on_unsubscribed(const XmlElement& presence);
    void on_unsubscribe(const XmlElement& presence);
    void subscription_missing(const std::string& user);
    void on_probe(const XmlElement& presence);
    void accept_subscription(const std::string& user);
    void announce_page(const std::string& after, std::size_t announced, std::uint64_t round);

    StanzaSender& sender_;
    routing::Router& router_;
    routing::UserService& users_;
    storage::StorageWorker& storage_;
    const Config& config_;
    // Each connection starts a new round; pages of an older round stop.
    std::uint64_t announce_round_ = 0;
    routing::ProbeRounds probe_rounds_;
    // Registered users told their subscription is missing, until they approve
    // it again: they are asked and told once, not on every unsubscribed.
    std::set<std::string> told_missing_;
};

}  // namespace herald::component
