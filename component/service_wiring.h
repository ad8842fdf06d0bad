#pragma once

#include <boost/asio/io_context.hpp>

#include "agents/mail_agent.h"
#include "agents/webhook_agent.h"
#include "agents/xmpp_notification_channel.h"
#include "component/adhoc_responder.h"
#include "component/chat_commands.h"
#include "component/config.h"
#include "component/delivery_responder.h"
#include "component/disco_responder.h"
#include "component/feed_gateway.h"
#include "component/http_gateway.h"
#include "component/notification_payload.h"
#include "component/presence_responder.h"
#include "component/pubsub_responder.h"
#include "component/registration_responder.h"
#include "component/stanza_dispatcher.h"
#include "component/xmpp_user_notices.h"
#include "net/curl_multi.h"
#include "routing/acknowledgements.h"
#include "routing/escalator.h"
#include "routing/feed_service.h"
#include "routing/metrics.h"
#include "routing/rule_services.h"
#include "routing/retention.h"
#include "routing/router.h"
#include "routing/user_service.h"
#include "storage/storage_worker.h"

namespace herald::component {

// Everything behind the dispatcher: the router, the pubsub rules and the
// responders, registered on the dispatcher and sending through `sender`.
// The daemon wires it to the link to ejabberd; the fuzz targets to a
// recording sender.
class ServiceWiring {
public:
    ServiceWiring(boost::asio::io_context& io, const Config& config, storage::StorageWorker& storage,
                  StanzaDispatcher& dispatcher, StanzaSender& sender);

    routing::Router& router() { return router_; }
    PresenceResponder& presence() { return presence_; }
    HttpGateway& http_gateway() { return http_gateway_; }
    FeedGateway& feeds() { return feeds_; }
    routing::Escalator& escalator() { return escalator_; }
    routing::Retention& retention() { return retention_; }
    routing::Acknowledgements& acknowledgements() { return acks_; }
    routing::Metrics& metrics() { return metrics_; }
    routing::SharedWork& shared_work() { return shared_work_; }

private:
    routing::Metrics metrics_;
    routing::SharedWork shared_work_;
    agents::XmppNotificationChannel notification_channel_;
    XmppUserNotices notices_;
    routing::Router router_;
    DeliveryResponder deliveries_;
    XmlPayloadFormat payloads_;
    routing::PubsubService pubsub_;
    routing::PreferenceService preferences_;
    routing::TokenService tokens_;
    routing::UserService users_;
    // libcurl on the io_context for mail to the operator's SMTP server. Feeds
    // and webhooks each have their own (one connection pool per address
    // policy), in the feed poller and the webhook agent.
    ingest::CurlMulti curl_;
    routing::FeedService feed_service_;
    FeedGateway feeds_;
    agents::WebhookAgent webhook_agent_;
    routing::Acknowledgements acks_;
    DiscoResponder disco_;
    RegistrationResponder registration_;
    PresenceResponder presence_;
    PubsubResponder pubsub_responder_;
    AdhocResponder adhoc_;
    ChatCommands chat_;
    HttpGateway http_gateway_;
    agents::MailAgent mail_agent_;
    routing::Escalator escalator_;
    routing::Retention retention_;
};

}  // namespace herald::component
