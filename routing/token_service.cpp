#include "routing/token_service.h"

#include "routing/secret_token.h"

namespace herald::routing {

std::string TokenService::create_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                        const std::string& label) const {
    require_owner(repos, actor, require_node(repos, node));
    if (label.empty() || label.size() > 100)
        throw PubsubError(Refusal::bad_request, "", "a token needs a label of 1 to 100 characters");
    const auto token = new_secret_token();
    const auto limit = limit_for(actor, config_.limits.max_tokens_per_user);
    const auto added = repos.tokens.add_within(token_digest(token), {node, label, actor.jid}, now_seconds(), limit);
    if (added == storage::LimitedInsert::exists)
        throw PubsubError(Refusal::conflict, "", "this topic already has a token labelled '" + label + "'");
    if (added == storage::LimitedInsert::over_limit) throw over_limit(limit, "HTTP tokens", "max_tokens_per_user");
    return token;
}

void TokenService::revoke_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                 const std::string& label) const {
    require_owner(repos, actor, require_node(repos, node));
    if (!repos.tokens.revoke(node, label))
        throw PubsubError(Refusal::item_not_found, "", "this topic has no token labelled '" + label + "'");
}

std::vector<std::string> TokenService::token_labels(storage::Repositories& repos, const Actor& actor,
                                                     const std::string& node) const {
    require_owner(repos, actor, require_node(repos, node));
    return repos.tokens.labels(node);
}

PublishOutcome TokenService::publish_with_token(storage::Repositories& repos, const std::string& token,
                                                 storage::Item item) const {
    // One refusal for an unknown topic, an unknown token and a token for
    // another topic: a caller without the right token learns nothing about
    // which topics (or inboxes, hence users) exist.
    const auto digest = token_digest(token);
    item.publisher = require_token(repos, digest, item.node).created_by;
    if (item.ack_callback) item.callback_key = digest;
    return pubsub_.store_and_fan_out(repos, std::move(item));
}

storage::ItemStatus TokenService::item_status(storage::Repositories& repos, const std::string& token,
                                               const std::string& node, const std::string& item_id) const {
    require_token(repos, token_digest(token), node);
    auto status = repos.acks.status(node, item_id);
    if (!status) throw PubsubError(Refusal::item_not_found, "", "no such item");
    return std::move(*status);
}

storage::NodeToken TokenService::require_token(storage::Repositories& repos, const std::string& digest,
                                                const std::string& node) const {
    auto found = repos.tokens.find(digest);
    if (!found || found->node != node || !repos.nodes.find(node))
        throw PubsubError(Refusal::item_not_found, "", "no such topic, or the token is not valid for it");
    return std::move(*found);
}

}  // namespace herald::routing
