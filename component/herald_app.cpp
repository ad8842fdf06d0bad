#include "component/herald_app.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <csignal>

#include "storage/backend_factory.h"

namespace herald::component {

namespace {

storage::StorageSettings daemon_storage(const Config& config) {
    auto settings = storage_settings(config);
    settings.sole_instance = !config.cluster.enabled();
    return settings;
}

}  // namespace

HeraldApp::HeraldApp(boost::asio::io_context& io, Config config)
    : io_(io),
      config_(std::move(config)),
      storage_(storage::open_backend(daemon_storage(config_)),
               [this](std::function<void()> completion) {
                   boost::asio::post(io_, [this, completion = std::move(completion)] {
                       try {
                           completion();
                       } catch (const std::exception& error) {
                           contain("a storage completion", error);
                       }
                   });
               },
               config_.limits.storage_queue_jobs),
      dispatcher_(link_, config_.component.jid, config_.limits.requests_per_second,
                  {config_.limits.max_stanza_bytes, config_.limits.max_form_fields, config_.limits.max_form_value_bytes}),
      link_(io, config_, dispatcher_),
      services_(io, config_, storage_, dispatcher_, link_),
      signals_(io, SIGTERM, SIGINT) {
    link_.on_output_refused([this] { services_.router().blame_deliveries_in_flight(); });
    link_.on_outbox_drained([this] { services_.router().on_outbox_drained(); });
}

HeraldApp::~HeraldApp() {
    storage_.stop();
    link_.close();
    stop_timers();
    io_.restart();
    while (io_.poll() > 0) {
    }
}

void HeraldApp::stop_timers() {
    if (cluster_) cluster_->stop();
    services_.router().stop();
    services_.presence().stop();
    services_.escalator().stop();
    services_.retention().stop();
    services_.acknowledgements().stop();
}

void HeraldApp::contain(const char* where, const std::exception& error) {
    spdlog::error("{} failed: {}; herald goes on", where, error.what());
    services_.metrics().handler_failed();
}

void HeraldApp::run() {
    for (;;) {
        try {
            io_.run();
            return;
        } catch (const std::exception& error) {
            contain("a handler", error);
        }
    }
}

void HeraldApp::start() {
    // Never the connection string: it may hold a password.
    spdlog::info("herald starting: component {}, database {}", config_.component.jid,
                 config_.storage.backend == "postgresql" ? std::string("on PostgreSQL") : config_.storage.path);
    signals_.async_wait([this](boost::system::error_code error, int signal) {
        if (error) return;
        spdlog::info("received {}, shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
        shutdown();
    });
    if (config_.http.enabled) {
        http_api_ = std::make_unique<ingest::HttpPublishApi>(
            io_,
            ingest::HttpApiSettings{config_.http.address, config_.http.port, config_.http.max_body_bytes,
                                    std::chrono::seconds(30), config_.http.publishes_per_second},
            services_.http_gateway());
        http_api_->start();
        spdlog::info("HTTP publish API listening on {}:{}", config_.http.address, http_api_->port());
    }
    services_.feeds().start();
    if (config_.cluster.enabled()) join_cluster();
    link_.start();
}

void HeraldApp::join_cluster() {
    queue_changes_ = storage::watch_queue_changes(io_, storage_settings(config_), [this](const storage::QueueChange& change) {
        services_.router().queued_elsewhere(change);
    });
    cluster_ = std::make_unique<routing::ClusterMembership>(
        io_, storage_, config_.cluster, services_.shared_work(),
        routing::ClusterMembership::Events{
            .took_place = [this](const std::string&) { link_.reconnect(); },
            .began_leading = [this] { services_.feeds().reload(); },
            .rescan =
                [this] {
                    services_.router().rescan_all();
                    if (services_.shared_work().ours()) services_.feeds().reload();
                },
        });
    cluster_->start();
}

void HeraldApp::shutdown() {
    if (stopping_) return;
    stopping_ = true;
    signals_.cancel();
    if (http_api_) http_api_->stop();
    services_.feeds().stop();
    queue_changes_.reset();
    link_.stop_input();
    services_.presence().stop();  // no more probing, which reads storage
    // Runs every queued write to the end; their completions are now queued on
    // the io_context ahead of the goodbye below.
    storage_.stop();
    spdlog::info("storage flushed");
    boost::asio::post(io_, [this] {
        const auto told = services_.presence().say_goodbye();
        spdlog::info("sent unavailable presence to {} online users", told);
        stop_timers();
        link_.close();
    });
}

}  // namespace herald::component
