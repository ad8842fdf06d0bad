#include "component/herald_app.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <csignal>

#include "component/namespaces.h"

namespace herald::component {

HeraldApp::HeraldApp(boost::asio::io_context& io, Config config)
    : io_(io),
      config_(std::move(config)),
      storage_(config_.database_path,
               [&io](std::function<void()> completion) { boost::asio::post(io, std::move(completion)); }),
      dispatcher_(link_, config_.component_jid, config_.requests_per_second),
      link_(io, config_, dispatcher_),
      router_(io, storage_, link_, config_, metrics_),
      pubsub_(config_),
      users_(storage_, link_, router_, pubsub_, config_),
      curl_(io),
      feed_service_(config_, pubsub_),
      feeds_(io, curl_, storage_, router_, feed_service_, metrics_, config_),
      disco_(dispatcher_, storage_),
      registration_(dispatcher_, disco_, users_),
      presence_(dispatcher_, link_, router_, users_, storage_, config_),
      pubsub_responder_(dispatcher_, disco_, link_, storage_, router_, pubsub_, metrics_, config_),
      adhoc_(dispatcher_, disco_, link_, storage_, router_, pubsub_, metrics_, config_,
             std::chrono::steady_clock::now(), feeds_),
      chat_(link_, storage_, router_, pubsub_, config_, feeds_),
      http_gateway_(storage_, router_, pubsub_, metrics_, config_),
      mail_agent_(curl_, config_.smtp, config_.component_jid),
      webhook_agent_(curl_, ingest::UrlPolicy({config_.escalation.allow_private_addresses, 0, 64 * 1024,
                                               std::chrono::seconds(config_.escalation.webhook_timeout_seconds)})),
      escalator_(io, storage_, metrics_, config_.escalation, {{"mail", &mail_agent_}, {"webhook", &webhook_agent_}}),
      signals_(io, SIGTERM, SIGINT) {
    disco_.add_feature(ns::kPing);
    dispatcher_.handle_iq("get", ns::kPing,
                          [](const XmlElement&, const XmlElement&, IqReply reply) { reply.result(); });
    dispatcher_.handle_iq_response([this](const XmlElement& iq) { router_.on_iq_response(iq); });
    dispatcher_.handle_message([this](const XmlElement& message) {
        if (!router_.on_user_message(message)) chat_.on_message(message);
    });
    router_.observe_states([this](const std::string& user, Availability state) { escalator_.on_state(user, state); });
    dispatcher_.on_link_events([this] { escalator_.on_connected(); }, [] {});
}

void HeraldApp::start() {
    spdlog::info("herald starting: component {}, database {}", config_.component_jid,
                 config_.database_path);
    signals_.async_wait([this](boost::system::error_code error, int signal) {
        if (error) return;
        spdlog::info("received {}, shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
        shutdown();
    });
    if (config_.http_enabled) {
        http_api_ = std::make_unique<ingest::HttpPublishApi>(
            io_,
            ingest::HttpApiSettings{config_.http_address, config_.http_port, config_.http_max_body_bytes,
                                    std::chrono::seconds(30), config_.http_publishes_per_second},
            http_gateway_);
        http_api_->start();
        spdlog::info("HTTP publish API listening on {}:{}", config_.http_address, http_api_->port());
    }
    feeds_.start();
    link_.start();
}

void HeraldApp::shutdown() {
    if (stopping_) return;
    stopping_ = true;
    signals_.cancel();
    if (http_api_) http_api_->stop();
    feeds_.stop();
    link_.stop_input();
    // Runs every queued write to the end; their completions are now queued on
    // the io_context ahead of the goodbye below.
    storage_.stop();
    spdlog::info("storage flushed");
    boost::asio::post(io_, [this] {
        const auto told = presence_.say_goodbye();
        spdlog::info("sent unavailable presence to {} online users", told);
        router_.stop();
        escalator_.stop();
        link_.close();
    });
}

}  // namespace herald::component
