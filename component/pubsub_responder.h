#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "component/config.h"
#include "component/stanza_dispatcher.h"
#include "routing/metrics.h"
#include "routing/pubsub_service.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component {
class DiscoResponder;

// XEP-0060 on the component JID: the subset PROTOCOL.md promises. Parses
// IQs, runs the routing::PubsubService rule in a storage job, answers once it is
// committed. A publish is answered only after the item and its queue rows are
// durable; then the router delivers it.
class PubsubResponder {
public:
    PubsubResponder(StanzaDispatcher& dispatcher, DiscoResponder& disco, StanzaSender& sender,
                    storage::StorageWorker& storage, routing::Router& router, const routing::PubsubService& service,
                    routing::Metrics& metrics, const Config& config);

private:
    using Action = std::function<void(const routing::Actor&, const XmlElement& pubsub, const XmlElement& action, IqReply)>;

    void dispatch(const std::map<std::string, Action>& actions, const XmlElement& iq,
                  const XmlElement& pubsub, IqReply reply);
    routing::Actor actor_of(const XmlElement& iq) const;

    template <class Result>
    void run(IqReply reply, std::function<Result(storage::Repositories&)> work,
             std::function<void(Result&, IqReply&)> done,
             storage::StorageWorker::Admission admission = storage::StorageWorker::Admission::always);

    void create(const routing::Actor& actor, const XmlElement& pubsub, const XmlElement& create, IqReply reply);
    void publish(const routing::Actor& actor, const XmlElement& pubsub, const XmlElement& publish, IqReply reply);
    void subscribe(const routing::Actor& actor, const XmlElement& subscribe, IqReply reply);
    void unsubscribe(const routing::Actor& actor, const XmlElement& unsubscribe, IqReply reply);
    void subscriptions(const routing::Actor& actor, const XmlElement& request, IqReply reply);
    void items(const routing::Actor& actor, const XmlElement& request, IqReply reply);
    void delete_node(const routing::Actor& actor, const XmlElement& request, IqReply reply);
    void affiliations(const routing::Actor& actor, const XmlElement& request, IqReply reply);
    void set_affiliations(const routing::Actor& actor, const XmlElement& request, IqReply reply);

    StanzaSender& sender_;
    storage::StorageWorker& storage_;
    routing::Router& router_;
    const routing::PubsubService& service_;
    routing::Metrics& metrics_;
    const Config& config_;
    std::map<std::string, Action> set_actions_, get_actions_, owner_set_actions_, owner_get_actions_;
};

}  // namespace herald::component
