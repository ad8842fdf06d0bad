#include "component/service_wiring.h"

#include <chrono>

#include "component/ack_message.h"
#include "component/namespaces.h"

namespace herald::component {

using herald::routing::Availability;

ServiceWiring::ServiceWiring(boost::asio::io_context& io, const Config& config, storage::StorageWorker& storage,
                             StanzaDispatcher& dispatcher, StanzaSender& sender)
    : notification_channel_(sender, config.component.jid),
      notices_(sender, config.component.jid),
      router_(io, storage, notification_channel_, config.delivery, metrics_),
      deliveries_(router_),
      payloads_(config.pubsub),
      pubsub_(config, payloads_),
      preferences_(config),
      tokens_(config, pubsub_),
      users_(storage, notices_, router_, pubsub_, config),
      curl_(io),
      feed_service_(config, pubsub_, feed_url_check(config.feeds)),
      feeds_(io, storage, router_, feed_service_, metrics_, config.feeds, shared_work_),
      webhook_agent_(io, ingest::UrlPolicy({config.escalation.allow_private_addresses, 0, 64 * 1024,
                                             std::chrono::seconds(config.escalation.webhook_timeout_seconds)})),
      acks_(io, storage, notices_, router_, webhook_agent_, metrics_, config.delivery, shared_work_),
      disco_(dispatcher, storage, {config.pubsub.disco_page_size, config.limits.max_stanza_bytes / 2}),
      registration_(dispatcher, disco_, users_),
      presence_(io, dispatcher, sender, notification_channel_, router_, users_, storage, config),
      pubsub_responder_(dispatcher, disco_, sender, storage, router_, pubsub_, metrics_, config),
      adhoc_(dispatcher, disco_, storage, router_, {pubsub_, preferences_, tokens_}, metrics_, config,
             std::chrono::steady_clock::now(), feeds_, acks_, notices_),
      chat_(sender, notices_, storage, router_, {pubsub_, preferences_, tokens_}, config, feeds_),
      http_gateway_(storage, router_, tokens_, metrics_, config),
      mail_agent_(curl_, config.smtp, config.component.jid),
      escalator_(io, storage, metrics_, config.escalation,
                 {{routing::EscalationChannel::mail, &mail_agent_}, {routing::EscalationChannel::webhook, &webhook_agent_}},
                 shared_work_),
      retention_(io, storage, config.retention, shared_work_) {
    disco_.add_feature(ns::kPing);
    dispatcher.handle_iq("get", ns::kPing,
                         [](const XmlElement&, const XmlElement&, IqReply reply) { reply.result(); });
    dispatcher.handle_iq_response([this](const XmlElement& iq) { deliveries_.on_iq_response(iq); });
    dispatcher.handle_message([this](const XmlElement& message) {
        const bool about_delivery = deliveries_.on_message(message);
        const auto ack = read_ack_request(message);
        if ((ack && acks_.on_request(message.attr("from"), *ack)) || about_delivery) return;
        chat_.on_message(message);
    });
    router_.observe_states([this](const std::string& user, Availability state) { escalator_.on_state(user, state); });
    dispatcher.on_link_events(
        [this] {
            metrics_.link_changed(true);
            escalator_.on_connected();
        },
        [this] { metrics_.link_changed(false); });
    retention_.start();
    acks_.start();
}

}  // namespace herald::component
