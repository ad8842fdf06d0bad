#pragma once

#include <chrono>

#include "component/config.h"
#include "component/pubsub_service.h"
#include "component/stanza_dispatcher.h"

namespace herald::component {

class DiscoResponder;
class Router;

// XEP-0050 ad-hoc commands with XEP-0004 forms, for people in ordinary
// clients. Every command calls the same PubsubService rules as the pubsub IQs.
class AdhocResponder {
public:
    AdhocResponder(StanzaDispatcher& dispatcher, DiscoResponder& disco, StanzaSender& sender,
                   storage::StorageWorker& storage, Router& router, const PubsubService& service,
                   const Config& config, std::chrono::steady_clock::time_point started);

private:
    StanzaSender& sender_;
    storage::StorageWorker& storage_;
    Router& router_;
    const PubsubService& service_;
    const Config& config_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace herald::component
