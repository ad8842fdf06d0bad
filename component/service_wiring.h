#pragma once

#include <boost/asio/io_context.hpp>

#include "component/acknowledgements.h"
#include "component/adhoc_responder.h"
#include "component/chat_commands.h"
#include "component/config.h"
#include "agents/mail_agent.h"
#include "agents/webhook_agent.h"
#include "component/disco_responder.h"
#include "component/escalator.h"
#include "component/feed_gateway.h"
#include "component/feed_service.h"
#include "component/http_gateway.h"
#include "component/metrics.h"
#include "component/presence_responder.h"
#include "component/pubsub_responder.h"
#include "component/pubsub_service.h"
#include "component/registration_responder.h"
#include "component/retention.h"
#include "component/router.h"
#include "component/stanza_dispatcher.h"
#include "component/user_service.h"
#include "net/curl_multi.h"
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

    Router& router() { return router_; }
    PresenceResponder& presence() { return presence_; }
    HttpGateway& http_gateway() { return http_gateway_; }
    FeedGateway& feeds() { return feeds_; }
    Escalator& escalator() { return escalator_; }
    Retention& retention() { return retention_; }
    Acknowledgements& acknowledgements() { return acks_; }
    Metrics& metrics() { return metrics_; }

private:
    Metrics metrics_;
    Router router_;
    PubsubService pubsub_;
    UserService users_;
    // libcurl on the io_context for mail to the operator's SMTP server. Feeds
    // and webhooks each have their own (one connection pool per address
    // policy), in the feed poller and the webhook agent.
    ingest::CurlMulti curl_;
    FeedService feed_service_;
    FeedGateway feeds_;
    agents::WebhookAgent webhook_agent_;
    Acknowledgements acks_;
    DiscoResponder disco_;
    RegistrationResponder registration_;
    PresenceResponder presence_;
    PubsubResponder pubsub_responder_;
    AdhocResponder adhoc_;
    ChatCommands chat_;
    HttpGateway http_gateway_;
    agents::MailAgent mail_agent_;
    Escalator escalator_;
    Retention retention_;
};

}  // namespace herald::component
