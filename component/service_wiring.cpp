#include "component/service_wiring.h"

#include <chrono>

#include "component/namespaces.h"

namespace herald::component {

ServiceWiring::ServiceWiring(boost::asio::io_context& io, const Config& config, storage::StorageWorker& storage,
                             StanzaDispatcher& dispatcher, StanzaSender& sender)
    : router_(io, storage, sender, config, metrics_),
      pubsub_(config),
      users_(storage, sender, router_, pubsub_, config),
      disco_(dispatcher, storage),
      registration_(dispatcher, disco_, users_),
      presence_(dispatcher, sender, router_, users_, storage, config),
      pubsub_responder_(dispatcher, disco_, sender, storage, router_, pubsub_, metrics_, config),
      adhoc_(dispatcher, disco_, sender, storage, router_, pubsub_, metrics_, config,
             std::chrono::steady_clock::now()),
      chat_(sender, storage, router_, pubsub_, config),
      http_gateway_(storage, router_, pubsub_, metrics_, config) {
    disco_.add_feature(ns::kPing);
    dispatcher.handle_iq("get", ns::kPing,
                         [](const XmlElement&, const XmlElement&, IqReply reply) { reply.result(); });
    dispatcher.handle_iq_response([this](const XmlElement& iq) { router_.on_iq_response(iq); });
    dispatcher.handle_message([this](const XmlElement& message) {
        if (!router_.on_user_message(message)) chat_.on_message(message);
    });
}

}  // namespace herald::component
