#pragma once

#include "component/config.h"
#include "ingest/http_publish_api.h"
#include "routing/metrics.h"
#include "routing/token_service.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component {

// The HTTP API's way into the service: the same item reading, rules, storage
// and delivery as an IQ publish, with the node's bearer token as credential.
class HttpGateway final : public ingest::PublishGateway {
public:
    HttpGateway(storage::StorageWorker& storage, routing::Router& router, const routing::TokenService& tokens, routing::Metrics& metrics,
                const Config& config);

    void publish(ingest::HttpPublishRequest request, std::function<void(ingest::HttpPublishResult)> done) override;
    void item_status(std::string node, std::string token, std::string item_id,
                     std::function<void(ingest::HttpPublishResult)> done) override;
    void metrics(std::function<void(std::string)> done) override;

private:
    storage::StorageWorker& storage_;
    routing::Router& router_;
    const routing::TokenService& tokens_;
    routing::Metrics& metrics_;
    const Config& config_;
};

}  // namespace herald::component
