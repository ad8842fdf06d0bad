#include "component/presence_responder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "component/user_stanzas.h"
#include "routing/router.h"
#include "routing/user_service.h"
#include "storage/storage_worker.h"
#include "text/jid.h"

namespace herald::component {

using herald::text::bare_jid;
using herald::text::resource_of;
using herald::text::is_user_jid;

using herald::routing::ResourcePresence;
using herald::routing::Router;
using herald::routing::UserService;
using herald::routing::availability_from_show;

namespace {

constexpr std::size_t kAnnouncePageSize = 500;
// Past this many users waiting to approve, the oldest memory goes: at worst
// someone is asked and told twice.
constexpr std::size_t kMaxToldMissing = 10000;

constexpr const char* kSubscriptionMissing =
    "Your roster no longer shares presence with Herald, so your notifications wait in your queue. To get them, "
    "add this contact again and accept its request to see your status (in Profanity: /sub allow, "
    "then /sub request). To stop for good, send: unregister";

int parse_priority(const XmlElement& presence) {
    const auto* element = presence.child("priority");
    if (!element) return 0;
    try {
        return std::clamp(std::stoi(element->text()), -128, 127);
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

PresenceResponder::PresenceResponder(boost::asio::io_context& io, StanzaDispatcher& dispatcher,
                                     StanzaSender& sender, routing::UserOutbox& outbox, Router& router,
                                     UserService& users, storage::StorageWorker& storage, const Config& config)
    : sender_(sender), router_(router), users_(users), storage_(storage), config_(config),
      probe_rounds_(io, storage, outbox, {.page_size = kAnnouncePageSize}) {
    auto bind = [this](void (PresenceResponder::*handler)(const XmlElement&)) {
        return [this, handler](const XmlElement& presence) {
            if (is_user_jid(presence.attr("from"))) (this->*handler)(presence);
        };
    };
    dispatcher.handle_presence("", bind(&PresenceResponder::on_available));
    dispatcher.handle_presence("unavailable", bind(&PresenceResponder::on_unavailable));
    dispatcher.handle_presence("error", bind(&PresenceResponder::on_unavailable));
    dispatcher.handle_presence("subscribe", bind(&PresenceResponder::on_subscribe));
    dispatcher.handle_presence("subscribed", bind(&PresenceResponder::on_subscribed));
    dispatcher.handle_presence("unsubscribed", bind(&PresenceResponder::on_unsubscribed));
    dispatcher.handle_presence("unsubscribe", bind(&PresenceResponder::on_unsubscribe));
    dispatcher.handle_presence("probe", bind(&PresenceResponder::on_probe));
    dispatcher.on_link_events(
        [this] {
            probe_rounds_.restart();
            announce_page("", 0, ++announce_round_);
        },
        [this] {
            ++announce_round_;
            probe_rounds_.stop();
            router_.forget_all_presence();
        });
}

void PresenceResponder::on_available(const XmlElement& presence) {
    const auto* show = presence.child("show");
    ResourcePresence state{availability_from_show(show ? show->text() : ""), parse_priority(presence)};
    on_presence(presence.attr("from"), state);
}

void PresenceResponder::on_unavailable(const XmlElement& presence) { on_presence(presence.attr("from"), std::nullopt); }

void PresenceResponder::on_presence(const std::string& from, std::optional<ResourcePresence> state) {
    const auto user = bare_jid(from);
    probe_rounds_.answered(user);
    router_.on_presence(user, {resource_of(from), state});
}

void PresenceResponder::accept_subscription(const std::string& user) {
    sender_.send(presence_stanza(config_.component.jid, user, "subscribed"));
    sender_.send(presence_stanza(config_.component.jid, user));
}

void PresenceResponder::on_subscribe(const XmlElement& presence) {
    const auto user = bare_jid(presence.attr("from"));
    users_.find_user(user, [this, user](std::optional<storage::User> found, std::exception_ptr error) {
        if (error) {
            spdlog::error("subscription request from {} left pending: storage lookup failed", user);
            return;
        }
        if (found) {
            // Their client added herald again: herald asks for theirs again too.
            accept_subscription(user);
            sender_.send(presence_stanza(config_.component.jid, user, "subscribe"));
            return;
        }
        if (!config_.registration.register_on_subscribe || !users_.may_register(user)) {
            spdlog::info("subscription request from unregistered {} refused", user);
            sender_.send(presence_stanza(config_.component.jid, user, "unsubscribed"));
            return;
        }
        users_.register_user(user, std::nullopt, [this, user](std::exception_ptr register_error) {
            if (register_error) {
                spdlog::error("registration on subscribe of {} failed", user);
                return;
            }
            accept_subscription(user);
        });
    });
}

void PresenceResponder::on_subscribed(const XmlElement& presence) {
    const auto user = bare_jid(presence.attr("from"));
    spdlog::info("{} approved herald's presence subscription", user);
    told_missing_.erase(user);
    sender_.send(presence_stanza(config_.component.jid, user));
    sender_.send(presence_stanza(config_.component.jid, user, "probe"));
}

void PresenceResponder::on_unsubscribed(const XmlElement& presence) {
    const auto user = bare_jid(presence.attr("from"));
    spdlog::info("{} withdrew herald's presence subscription", user);
    router_.forget(user);
    subscription_missing(user);
}

// Their roster no longer lets them see herald; removing the contact sends
// this and unsubscribed together.
void PresenceResponder::on_unsubscribe(const XmlElement& presence) {
    subscription_missing(bare_jid(presence.attr("from")));
}

void PresenceResponder::subscription_missing(const std::string& user) {
    if (told_missing_.contains(user)) return;
    users_.find_user(user, [this, user](std::optional<storage::User> found, std::exception_ptr error) {
        if (error || !found || told_missing_.contains(user)) return;
        if (told_missing_.size() >= kMaxToldMissing) told_missing_.clear();
        told_missing_.insert(user);
        spdlog::info("herald has no presence subscription to registered {}: asking again", user);
        sender_.send(presence_stanza(config_.component.jid, user, "subscribe"));
        sender_.send(chat_message(config_.component.jid, user, kSubscriptionMissing));
    });
}

void PresenceResponder::on_probe(const XmlElement& presence) {
    const auto& from = presence.attr("from");
    users_.find_user(bare_jid(from), [this, from](std::optional<storage::User> found,
                                                  std::exception_ptr error) {
        if (error) return;
        sender_.send(presence_stanza(config_.component.jid, from, found ? "" : "unsubscribed"));
    });
}

void PresenceResponder::announce_page(const std::string& after, std::size_t announced,
                                      std::uint64_t round) {
    storage_.submit<std::vector<std::string>>(
        [after](storage::Repositories& repos) {
            return repos.users.jids_after(after, static_cast<int>(kAnnouncePageSize));
        },
        [this, announced, round](std::optional<std::vector<std::string>> page, std::exception_ptr error) {
            if (round != announce_round_) return;
            if (error) {
                spdlog::error("cannot list users to probe; presence stays unknown until they change it");
                probe_rounds_.first_round_sent();
                return;
            }
            for (const auto& user : *page) {
                sender_.send(presence_stanza(config_.component.jid, user));
                sender_.send(presence_stanza(config_.component.jid, user, "probe"));
            }
            const auto total = announced + page->size();
            if (page->size() == kAnnouncePageSize)
                announce_page(page->back(), total, round);
            else {
                spdlog::info("announced herald and probed presence of {} registered users", total);
                probe_rounds_.first_round_sent();
            }
        });
}

void PresenceResponder::stop() {
    ++announce_round_;
    probe_rounds_.stop();
}

std::size_t PresenceResponder::say_goodbye() {
    const auto users = router_.online_users();
    for (const auto& user : users)
        sender_.send(presence_stanza(config_.component.jid, user, "unavailable"));
    return users.size();
}

}  // namespace herald::component
