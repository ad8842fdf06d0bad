#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "component/config.h"
#include "component/service_wiring.h"
#include "component/stanza_dispatcher.h"
#include "component/xmpp_link.h"
#include "routing/cluster_membership.h"
#include "storage/queue_changes.h"
#include "storage/storage_worker.h"

namespace herald::component {

// Wires the daemon: storage, the link to ejabberd, the dispatcher and the
// responders, all on one io_context thread (storage writes on their own).
class HeraldApp {
public:
    HeraldApp(boost::asio::io_context& io, Config config);
    // Whatever ended the run, what storage still holds is finished and its
    // completions run while every part is alive (with the link closed).
    ~HeraldApp();

    void start();
    // Runs the io_context until shutdown. An exception that escapes a handler
    // is logged and counted, and the daemon goes on serving.
    void run();
    // Graceful stop: no more input, storage flushed, unavailable presence to
    // online users, stream closed. io_context::run returns once it is written.
    void shutdown();

private:
    void contain(const char* where, const std::exception& error);
    // The services that keep timers running: stopped, the io_context can end.
    void stop_timers();
    void join_cluster();

    boost::asio::io_context& io_;
    Config config_;
    storage::StorageWorker storage_;
    StanzaDispatcher dispatcher_;
    XmppLink link_;
    ServiceWiring services_;
    std::unique_ptr<ingest::HttpPublishApi> http_api_;
    // With several instances (section cluster): this one among them, and
    // what the others queue.
    std::unique_ptr<routing::ClusterMembership> cluster_;
    std::unique_ptr<storage::QueueChangeFeed> queue_changes_;
    boost::asio::signal_set signals_;
    bool stopping_ = false;
};

}  // namespace herald::component
