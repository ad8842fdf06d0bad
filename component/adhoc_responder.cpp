#include "component/adhoc_responder.h"

namespace herald::component {

AdhocResponder::AdhocResponder(StanzaDispatcher&, DiscoResponder&, StanzaSender& sender,
                               storage::StorageWorker& storage, Router& router, const PubsubService& service,
                               const Config& config, std::chrono::steady_clock::time_point started)
    : sender_(sender), storage_(storage), router_(router), service_(service), config_(config), started_(started) {}

}  // namespace herald::component
