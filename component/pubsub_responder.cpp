#include "component/pubsub_responder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "agents/xmpp_notification_message.h"
#include "component/disco_responder.h"
#include "component/job_failure.h"
#include "component/namespaces.h"
#include "component/node_events.h"
#include "component/notification_payload.h"
#include "routing/delivery.h"
#include "routing/router.h"
#include "storage/storage_error.h"
#include "text/clock.h"
#include "text/jid.h"

namespace herald::component {

using herald::text::now_ms;
using herald::text::bare_jid;
using herald::text::resource_of;
using herald::text::is_user_jid;

using herald::agents::add_item_payload;
using herald::routing::Actor;
using herald::routing::Metrics;
using herald::routing::PublishOutcome;
using herald::routing::PubsubError;
using herald::routing::PubsubService;
using herald::routing::Router;
using herald::routing::drop_malformed_payload;

namespace {

XmlElement pubsub_error_condition(const std::string& condition) {
    return XmlElement(condition, ns::kPubsubErrors);
}

void reply_with(IqReply& reply, std::exception_ptr error) {
    const auto failure = read_job_failure(error, "pubsub request from " + reply.requester());
    switch (failure.kind) {
        case JobFailure::Kind::refused: break;
        case JobFailure::Kind::conflict: return reply.error("cancel", "conflict");
        case JobFailure::Kind::busy: return reply.error("wait", "resource-constraint");
        case JobFailure::Kind::storage:
        case JobFailure::Kind::failed: return reply.error("wait", "internal-server-error");
    }
    const auto& refusal = *failure.refusal;
    const auto stanza_error = routing::stanza_error_of(refusal.reason);
    const std::string type(stanza_error.type);
    const std::string condition(stanza_error.condition);
    if (refusal.pubsub_condition.empty() && !refusal.text.empty())
        reply.error(type, condition, stanza_error_text(refusal.text));
    else if (refusal.pubsub_condition.empty()) reply.error(type, condition);
    else reply.error(type, condition, pubsub_error_condition(refusal.pubsub_condition));
}

XmlElement item_element(const storage::Item& item) {
    XmlElement element("item");
    element.set_attr("id", item.item_id);
    add_item_payload(element, item);
    return element;
}

}  // namespace

PubsubResponder::PubsubResponder(StanzaDispatcher& dispatcher, DiscoResponder& disco, StanzaSender& sender,
                                 storage::StorageWorker& storage, Router& router,
                                 const PubsubService& service, Metrics& metrics, const Config& config)
    : sender_(sender), storage_(storage), router_(router), service_(service), metrics_(metrics), config_(config) {
    for (const char* feature : {"create-nodes", "delete-nodes", "publish", "subscribe", "retrieve-items",
                                "retrieve-subscriptions", "publish-options", "modify-affiliations",
                                "retrieve-affiliations"})
        disco.add_feature(std::string(ns::kPubsub) + "#" + feature);
    disco.add_feature(ns::kPubsub);
    disco.add_feature(ns::kReceipts);

    set_actions_ = {
        {"create", [this](auto& a, auto& p, auto& e, IqReply r) { create(a, p, e, std::move(r)); }},
        {"publish", [this](auto& a, auto& p, auto& e, IqReply r) { publish(a, p, e, std::move(r)); }},
        {"subscribe", [this](auto& a, auto&, auto& e, IqReply r) { subscribe(a, e, std::move(r)); }},
        {"unsubscribe", [this](auto& a, auto&, auto& e, IqReply r) { unsubscribe(a, e, std::move(r)); }},
    };
    get_actions_ = {
        {"subscriptions", [this](auto& a, auto&, auto& e, IqReply r) { subscriptions(a, e, std::move(r)); }},
        {"items", [this](auto& a, auto&, auto& e, IqReply r) { items(a, e, std::move(r)); }},
    };
    owner_set_actions_ = {
        {"delete", [this](auto& a, auto&, auto& e, IqReply r) { delete_node(a, e, std::move(r)); }},
        {"affiliations", [this](auto& a, auto&, auto& e, IqReply r) { set_affiliations(a, e, std::move(r)); }},
    };
    owner_get_actions_ = {
        {"affiliations", [this](auto& a, auto&, auto& e, IqReply r) { affiliations(a, e, std::move(r)); }},
    };
    auto bind = [this](const std::map<std::string, Action>& actions) {
        return [this, &actions](const XmlElement& iq, const XmlElement& pubsub, IqReply reply) {
            dispatch(actions, iq, pubsub, std::move(reply));
        };
    };
    dispatcher.handle_iq("set", ns::kPubsub, bind(set_actions_));
    dispatcher.handle_iq("get", ns::kPubsub, bind(get_actions_));
    dispatcher.handle_iq("set", ns::kPubsubOwner, bind(owner_set_actions_));
    dispatcher.handle_iq("get", ns::kPubsubOwner, bind(owner_get_actions_));
}

Actor PubsubResponder::actor_of(const XmlElement& iq) const {
    Actor actor{bare_jid(iq.attr("from"))};
    actor.admin = std::find(config_.admins.begin(), config_.admins.end(), actor.jid) != config_.admins.end();
    return actor;
}

// The action is the first child that is not an option form riding along.
void PubsubResponder::dispatch(const std::map<std::string, Action>& actions, const XmlElement& iq,
                               const XmlElement& pubsub, IqReply reply) {
    if (!is_user_jid(iq.attr("from"))) {
        reply.error("cancel", "not-allowed");
        return;
    }
    const XmlElement* action = nullptr;
    for (const auto& child : pubsub.children())
        if (child.name() != "publish-options" && child.name() != "configure" && child.name() != "options") {
            action = &child;
            break;
        }
    if (!action) {
        reply.error("modify", "bad-request");
        return;
    }
    const auto handler = actions.find(action->name());
    if (handler == actions.end()) {
        auto unsupported = pubsub_error_condition("unsupported");
        unsupported.set_attr("feature", action->name());
        reply.error("cancel", "feature-not-implemented", std::move(unsupported));
        return;
    }
    handler->second(actor_of(iq), pubsub, *action, std::move(reply));
}

template <class Result>
void PubsubResponder::run(IqReply reply, std::function<Result(storage::Repositories&)> work,
                          std::function<void(Result&, IqReply&)> done,
                          storage::StorageWorker::Admission admission) {
    auto shared = std::make_shared<IqReply>(std::move(reply));
    storage_.submit<Result>(
        std::move(work),
        [shared, done = std::move(done)](std::optional<Result> result, std::exception_ptr error) {
            if (error) return reply_with(*shared, error);
            done(*result, *shared);
        },
        admission);
}

void PubsubResponder::create(const Actor& actor, const XmlElement& pubsub, const XmlElement& create,
                             IqReply reply) {
    std::string model = "publishers";
    if (const auto* configure = pubsub.child("configure"))
        if (const auto* form = configure->child("x", ns::kDataForms))
            for (const auto& [var, value] : form_values(*form))
                if (var == "pubsub#publish_model") model = value;
    const auto node = create.attr("node");
    run<bool>(std::move(reply),
              [this, actor, node, model](storage::Repositories& repos) {
                  service_.create_node(repos, actor, node, model);
                  return true;
              },
              [node, actor](bool&, IqReply& r) {
                  spdlog::info("{} created node '{}'", actor.jid, node);
                  XmlElement result("pubsub", ns::kPubsub);
                  result.add_child("create").set_attr("node", node);
                  r.result(std::move(result));
              });
}

void PubsubResponder::publish(const Actor& actor, const XmlElement& pubsub, const XmlElement& publish,
                              IqReply reply) {
    const auto received = std::chrono::steady_clock::now();
    const auto node = publish.attr("node");
    if (node.empty()) {
        reply.error("modify", "bad-request", pubsub_error_condition("nodeid-required"));
        return;
    }
    const auto* item_element = publish.child("item");
    storage::Item item;
    try {
        if (!item_element || publish.children().size() != 1)
            throw PubsubError(routing::Refusal::bad_request, "invalid-payload");
        item = read_published_item(node, *item_element, pubsub.child("publish-options"), config_.pubsub, now_ms());
        item.ack_reply_to = reply.requester();
    } catch (...) {
        reply_with(reply, std::current_exception());
        return;
    }
    run<PublishOutcome>(
        std::move(reply),
        [this, actor, item = std::move(item)](storage::Repositories& repos) {
            return service_.publish(repos, actor, item);
        },
        [this, node, received](PublishOutcome& outcome, IqReply& r) {
            XmlElement result("pubsub", ns::kPubsub);
            auto& published = result.add_child("publish");
            published.set_attr("node", node);
            published.add_child("item").set_attr("id", outcome.item_id);
            r.result(std::move(result));
            spdlog::debug("published {} on '{}' for {} subscribers", outcome.item_id, node,
                          outcome.subscribers.size());
            metrics_.published();
            router_.on_published(outcome, received);
        },
        storage::StorageWorker::Admission::if_room);
}

void PubsubResponder::subscribe(const Actor& actor, const XmlElement& subscribe, IqReply reply) {
    const auto node = subscribe.attr("node");
    const auto jid = bare_jid(subscribe.attr("jid"));
    const bool full_jid = subscribe.attr("jid") != jid && !resource_of(subscribe.attr("jid")).empty();
    run<bool>(std::move(reply),
              [this, actor, node, jid, full_jid](storage::Repositories& repos) {
                  // Deliveries go to the user, not to one resource.
                  if (full_jid) throw PubsubError(routing::Refusal::bad_request, "invalid-jid");
                  service_.subscribe(repos, actor, node, jid);
                  return true;
              },
              [node, jid](bool&, IqReply& r) {
                  XmlElement result("pubsub", ns::kPubsub);
                  result.add_child("subscription")
                      .set_attr("node", node)
                      .set_attr("jid", jid)
                      .set_attr("subscription", "subscribed");
                  r.result(std::move(result));
              });
}

void PubsubResponder::unsubscribe(const Actor& actor, const XmlElement& unsubscribe, IqReply reply) {
    const auto node = unsubscribe.attr("node");
    const auto jid = bare_jid(unsubscribe.attr("jid"));
    run<bool>(std::move(reply),
              [this, actor, node, jid](storage::Repositories& repos) {
                  service_.unsubscribe(repos, actor, node, jid);
                  return true;
              },
              [](bool&, IqReply& r) { r.result(); });
}

void PubsubResponder::subscriptions(const Actor& actor, const XmlElement& request, IqReply reply) {
    const auto only_node = request.attr("node");
    run<std::vector<std::string>>(
        std::move(reply),
        [this, actor](storage::Repositories& repos) { return service_.subscriptions(repos, actor); },
        [actor, only_node](std::vector<std::string>& nodes, IqReply& r) {
            XmlElement result("pubsub", ns::kPubsub);
            auto& list = result.add_child("subscriptions");
            if (!only_node.empty()) list.set_attr("node", only_node);
            for (const auto& node : nodes)
                if (only_node.empty() || node == only_node)
                    list.add_child("subscription")
                        .set_attr("node", node)
                        .set_attr("jid", actor.jid)
                        .set_attr("subscription", "subscribed");
            r.result(std::move(result));
        });
}

void PubsubResponder::items(const Actor& actor, const XmlElement& request, IqReply reply) {
    const auto node = request.attr("node");
    int max_items = config_.pubsub.max_items_returned;
    if (request.has_attr("max_items")) {
        try {
            max_items = std::stoi(request.attr("max_items"));
        } catch (const std::exception&) {
            reply.error("modify", "bad-request");
            return;
        }
    }
    run<std::vector<storage::Item>>(
        std::move(reply),
        [this, actor, node, max_items](storage::Repositories& repos) {
            auto found = service_.items(repos, actor, node, max_items);
            for (auto& item : found) drop_malformed_payload(item);
            return found;
        },
        [node](std::vector<storage::Item>& found, IqReply& r) {
            XmlElement result("pubsub", ns::kPubsub);
            auto& list = result.add_child("items");
            list.set_attr("node", node);
            for (const auto& item : found) list.add(item_element(item));
            r.result(std::move(result));
        });
}

void PubsubResponder::delete_node(const Actor& actor, const XmlElement& request, IqReply reply) {
    const auto node = request.attr("node");
    run<std::vector<std::string>>(
        std::move(reply),
        [this, actor, node](storage::Repositories& repos) { return service_.delete_node(repos, actor, node); },
        [this, node, actor](std::vector<std::string>& subscribers, IqReply& r) {
            r.result();
            spdlog::info("{} deleted node '{}', telling {} subscribers", actor.jid, node, subscribers.size());
            send_node_deleted(sender_, config_.component.jid, node, subscribers);
        });
}

void PubsubResponder::affiliations(const Actor& actor, const XmlElement& request, IqReply reply) {
    const auto node = request.attr("node");
    run<std::vector<std::pair<std::string, std::string>>>(
        std::move(reply),
        [this, actor, node](storage::Repositories& repos) { return service_.affiliations(repos, actor, node); },
        [node](std::vector<std::pair<std::string, std::string>>& found, IqReply& r) {
            XmlElement result("pubsub", ns::kPubsubOwner);
            auto& list = result.add_child("affiliations");
            list.set_attr("node", node);
            for (const auto& [jid, affiliation] : found)
                list.add_child("affiliation").set_attr("jid", jid).set_attr("affiliation", affiliation);
            r.result(std::move(result));
        });
}

void PubsubResponder::set_affiliations(const Actor& actor, const XmlElement& request, IqReply reply) {
    const auto node = request.attr("node");
    std::vector<std::pair<std::string, std::string>> changes;
    for (const auto& entry : request.children()) {
        if (entry.name() != "affiliation" || !is_user_jid(entry.attr("jid"))) {
            reply.error("modify", "bad-request");
            return;
        }
        changes.emplace_back(bare_jid(entry.attr("jid")), entry.attr("affiliation"));
    }
    run<bool>(std::move(reply),
              [this, actor, node, changes](storage::Repositories& repos) {
                  service_.set_affiliations(repos, actor, node, changes);
                  return true;
              },
              [](bool&, IqReply& r) { r.result(); });
}

}  // namespace herald::component
