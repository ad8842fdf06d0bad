#include "component/http_gateway.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "component/job_failure.h"
#include "component/namespaces.h"
#include "component/notification_payload.h"
#include "routing/acknowledgements.h"
#include "routing/router.h"
#include "text/clock.h"

namespace herald::component {

using herald::text::now_ms;

using herald::routing::Metrics;
using herald::routing::PublishOutcome;
using herald::routing::PubsubService;
using herald::routing::Router;
using herald::routing::explain;
using herald::routing::item_status_json;

namespace {

ingest::HttpPublishResult http_failure(std::exception_ptr error) {
    const auto failure = read_job_failure(error, "HTTP publish");
    switch (failure.kind) {
        case JobFailure::Kind::refused: break;
        case JobFailure::Kind::conflict: return {409, {}, "conflict", "item exists"};
        case JobFailure::Kind::busy:
        case JobFailure::Kind::storage: return {503, {}, "unavailable", "storage is busy or full; try again"};
        case JobFailure::Kind::failed: return {500, {}, "internal", "internal error"};
    }
    const auto& refusal = *failure.refusal;
    // The service refuses an unknown topic and a bad token alike.
    if (refusal.reason == routing::Refusal::item_not_found) return {404, {}, "not-found", explain(refusal)};
    if (refusal.pubsub_condition == "payload-too-big") return {413, {}, "payload-too-big", "the notification is too large"};
    return {400, {}, refusal.pubsub_condition.empty() ? std::string(routing::stanza_error_of(refusal.reason).condition)
                                                 : refusal.pubsub_condition,
            refusal.text.empty() ? "invalid notification (priority is low, normal, high or urgent)" : refusal.text};
}

}  // namespace

HttpGateway::HttpGateway(storage::StorageWorker& storage, Router& router, const routing::TokenService& tokens,
                         Metrics& metrics, const Config& config)
    : storage_(storage), router_(router), tokens_(tokens), metrics_(metrics), config_(config) {}

void HttpGateway::publish(ingest::HttpPublishRequest request, std::function<void(ingest::HttpPublishResult)> done) {
    const auto received = std::chrono::steady_clock::now();
    storage::Item item;
    try {
        item = read_published_item(
            request.node,
            notification_item(request.title, request.body, request.link, request.priority, request.ttl), nullptr,
            config_.pubsub, now_ms());
        item.ack_required = request.ack;
        if (request.renotify) item.renotify_seconds = parse_renotify(*request.renotify, config_.pubsub);
        item.ack_callback = request.callback;
    } catch (...) {
        done(http_failure(std::current_exception()));
        return;
    }
    storage_.submit<PublishOutcome>(
        [this, token = std::move(request.token), item = std::move(item)](storage::Repositories& repos) {
            return tokens_.publish_with_token(repos, token, item);
        },
        [this, received, done = std::move(done)](std::optional<PublishOutcome> outcome, std::exception_ptr error) {
            if (error) return done(http_failure(error));
            metrics_.published();
            done({202, outcome->item_id, {}, {}});
            router_.on_published(*outcome, received);
        },
        storage::StorageWorker::Admission::if_room);
}

void HttpGateway::item_status(std::string node, std::string token, std::string item_id,
                              std::function<void(ingest::HttpPublishResult)> done) {
    storage_.submit<storage::ItemStatus>(
        [this, node = std::move(node), token = std::move(token), item_id = std::move(item_id)](
            storage::Repositories& repos) { return tokens_.item_status(repos, token, node, item_id); },
        [done = std::move(done)](std::optional<storage::ItemStatus> status, std::exception_ptr error) {
            if (error) return done(http_failure(error));
            done({200, status->item.item_id, {}, {}, item_status_json(*status)});
        });
}

void HttpGateway::metrics(std::function<void(std::string)> done) {
    storage_.submit<storage::ServiceCounts>(
        [](storage::Repositories& repos) { return repos.queue.counts(); },
        [this, done = std::move(done)](std::optional<storage::ServiceCounts> counts, std::exception_ptr) {
            done(metrics_.render(counts.value_or(storage::ServiceCounts{}), router_.avatar_count()));
        });
}

}  // namespace herald::component
