#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>

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
#include "component/router.h"
#include "component/stanza_dispatcher.h"
#include "component/user_service.h"
#include "component/xmpp_link.h"
#include "ingest/curl_multi.h"
#include "storage/storage_worker.h"

namespace herald::component {

// Wires the daemon: storage, the link to ejabberd, the dispatcher and the
// responders, all on one io_context thread (storage writes on their own).
class HeraldApp {
public:
    HeraldApp(boost::asio::io_context& io, Config config);

    void start();
    // Graceful stop: no more input, storage flushed, unavailable presence to
    // online users, stream closed. io_context::run returns once it is written.
    void shutdown();

private:
    boost::asio::io_context& io_;
    Config config_;
    storage::StorageWorker storage_;
    StanzaDispatcher dispatcher_;
    XmppLink link_;
    Metrics metrics_;
    Router router_;
    PubsubService pubsub_;
    UserService users_;
    // libcurl on the io_context: feeds, mail and webhooks.
    ingest::CurlMulti curl_;
    FeedService feed_service_;
    FeedGateway feeds_;
    DiscoResponder disco_;
    RegistrationResponder registration_;
    PresenceResponder presence_;
    PubsubResponder pubsub_responder_;
    AdhocResponder adhoc_;
    ChatCommands chat_;
    HttpGateway http_gateway_;
    agents::MailAgent mail_agent_;
    agents::WebhookAgent webhook_agent_;
    Escalator escalator_;
    std::unique_ptr<ingest::HttpPublishApi> http_api_;
    boost::asio::signal_set signals_;
    bool stopping_ = false;
};

}  // namespace herald::component
