#include "text/clock.h"
#include "component/chat_commands.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "component/adhoc_commands.h"
#include "component/chat_command_parser.h"
#include "component/feed_gateway.h"
#include "text/jid.h"
#include "component/namespaces.h"
#include "component/notification_payload.h"
#include "component/user_stanzas.h"
#include "component/xmpp_user_notices.h"
#include "routing/router.h"
#include "routing/user_service.h"
#include "text/safe_text.h"

namespace herald::component {

using herald::text::bare_jid;
using herald::text::is_user_jid;

using herald::routing::Actor;
using herald::routing::FeedAdded;
using herald::routing::FeedRemoved;
using herald::routing::PubsubError;
using herald::routing::PubsubService;
using herald::routing::RemovedUser;
using herald::routing::Router;
using herald::routing::after_user_removed;
using herald::routing::explain;
using herald::routing::priority_name;
using herald::routing::remove_user;

namespace {

constexpr int kDefaultHistoryCount = 10;
constexpr std::size_t kMaxOtherTopicsListed = 30;
// A user may follow any number of topics; one chat answer names this many.
constexpr std::size_t kMaxSubscriptionsListed = 50;

constexpr const char* kCommandNames =
    "help, sub, unsub, list, history, ack, pause, resume, prefs, feed, topic, unregister";

constexpr const char* kHelp =
    "Herald commands:\n"
    "help - this list\n"
    "sub TOPIC - subscribe to a topic (or: subscribe TOPIC)\n"
    "unsub TOPIC - unsubscribe (or: unsubscribe TOPIC)\n"
    "list [WORD] - the first of your subscriptions, your feeds and the first other public topics (those containing WORD)\n"
    "feed add URL [SECONDS] - follow an RSS or Atom feed (checked every SECONDS); its new items come to you\n"
    "feed remove URL - stop following it\n"
    "history [N] - your last N notifications, newest first, 10 unless you say\n"
    "ack (or ok, or a thumbs-up) - acknowledge the latest notification that asks for it; ack ID - the one whose id "
    "starts with ID; replying or reacting with a thumbs-up to the notification works too\n"
    "topic TOPIC ack required|optional - whether your topic's notifications ask for an acknowledgement unless "
    "their publisher says\n"
    "pause - hold notifications in your queue\n"
    "resume - deliver again, what waited first\n"
    "prefs - show your preferences\n"
    "prefs type chat|headline|pubsub - the kind of message notifications come as (pubsub: XEP-0060 events "
    "for programs, with no text)\n"
    "prefs dnd none|low|normal|high - while you are dnd, hold back this priority and lower\n"
    "prefs quiet 22:00-07:00 [ZONE] - quiet hours, ZONE like Europe/Paris (UTC unless you say); "
    "prefs quiet off ends them\n"
    "prefs escalation none|mail ADDRESS|webhook URL [MINUTES] [PRIORITY] - where notifications at or above "
    "PRIORITY (normal unless you say) go when you stay away MINUTES\n"
    "prefs webhook-secret new - a new webhook signing secret, shown once; the old one stops working\n"
    "unregister - leave Herald: deletes your subscriptions, queue, history and inbox (asks to confirm)";

constexpr const char* kPaused = "paused: notifications wait in your queue until you send resume";
constexpr const char* kResumed = "resumed: notifications come again, those that waited first";

std::string unknown_command(const std::string& word) {
    const std::string commands = std::string("Commands: ") + kCommandNames + " (send help for details)";
    if (word.empty()) return commands;
    const auto quoted = text::shortened(word, kMaxQuotedBytes);
    return "Unknown command '" + quoted + "'. " + commands;
}

// As the History command shows it: newest first, with the outcome.
std::string history_text(const std::vector<storage::HistoryEntry>& entries) {
    if (entries.empty()) return "no notifications yet";
    std::string text = history_heading(entries.size()) + ":";
    for (const auto& line : history_lines(entries)) text += "\n" + line;
    return text;
}

constexpr std::string_view kFeedPrefix = "feed/";

struct TopicList {
    std::vector<std::string> subscribed;  // the first few (containing `search` when given)
    std::size_t more_subscribed = 0;
    std::vector<storage::Feed> feeds;  // subscribed too
    std::vector<std::string> others;   // public topics not subscribed to, the first few
    std::int64_t more_others = 0;      // at most this many more of them
    std::string search;                // what they contain, when asked for
};

// The first kMaxOtherTopicsListed public topics containing `search` that
// are neither followed nor feeds, a page at a time, feeds skipped at once.
void find_others(storage::Repositories& repos, const std::vector<std::string>& subscribed, TopicList& topics) {
    constexpr std::int64_t kPage = 200;
    std::string after;
    std::int64_t count = 0, passed = 0;
    for (int pages = 0; pages < 20 && topics.others.size() < kMaxOtherTopicsListed; ++pages) {
        auto page = repos.nodes.public_nodes_after(topics.search, after, kPage);
        count = page.count;
        if (page.names.empty()) break;
        passed = page.first_index;
        for (auto& name : page.names) {
            ++passed;
            after = name;
            if (name.rfind(kFeedPrefix, 0) == 0) {
                after = std::string(kFeedPrefix) + "\xff";  // after every feed's name
                break;
            }
            if (std::find(subscribed.begin(), subscribed.end(), name) != subscribed.end()) continue;
            topics.others.push_back(std::move(name));
            if (topics.others.size() == kMaxOtherTopicsListed) break;
        }
    }
    // What comes after the last name looked at: an upper bound (feeds and
    // followed topics among them are counted).
    topics.more_others = std::max<std::int64_t>(0, count - passed);
}

std::string topics_text(const TopicList& topics) {
    const auto containing = topics.search.empty() ? std::string() : " containing '" + topics.search + "'";
    std::string text = !topics.subscribed.empty() ? "your subscriptions" + containing + ":"
                       : topics.search.empty()    ? "you are not subscribed to any topic"
                                                  : "you follow no topic" + containing;
    for (const auto& topic : topics.subscribed) text += "\n" + topic;
    if (topics.more_subscribed > 0)
        text += "\nand " + std::to_string(topics.more_subscribed) + " more" + containing +
                (topics.search.empty() ? "; send list WORD to see those containing WORD" : "");
    if (!topics.feeds.empty()) text += "\nyour feeds:";
    for (const auto& feed : topics.feeds)
        text += "\n" + (feed.title.empty() ? feed.url : feed.title + " - " + feed.url) + " (" + feed.node + ")";
    if (topics.others.empty())
        return topics.search.empty() ? text : text + "\nno other topic contains '" + topics.search + "'";
    text += topics.search.empty() ? "\nother topics: " : "\nother topics containing '" + topics.search + "': ";
    for (std::size_t i = 0; i < topics.others.size(); ++i) text += (i ? ", " : "") + topics.others[i];
    if (topics.more_others > 0)
        text += " and up to " + std::to_string(topics.more_others) + " more; send list WORD to see those containing WORD";
    return text;
}

std::string describe_dnd(const std::string& holds) {
    if (holds == "none") return "dnd none - everything comes through while you are dnd";
    return "dnd " + holds + " - while you are dnd, " + holds + " and lower priorities wait";
}

std::string describe_quiet(const storage::Preferences& p) {
    if (!p.quiet_start || !p.quiet_end) return "quiet off - no quiet hours";
    return "quiet " + *p.quiet_start + "-" + *p.quiet_end + " " + p.quiet_zone.value_or("UTC") +
           " - notifications wait during these hours";
}

std::string describe_escalation(const storage::Preferences& p) {
    if (p.escalation_channel == "none") return "escalation none - nothing else happens while you are away";
    const auto threshold = priority_name(p.escalation_min_priority);
    std::string text = "escalation " + p.escalation_channel + " " + p.escalation_target.value_or("") + " " +
                       std::to_string(p.escalation_minutes) + " " + threshold + " - after " +
                       std::to_string(p.escalation_minutes) + " minutes away, " + threshold +
                       " and higher go by " + p.escalation_channel;
    if (p.escalation_channel == "webhook")
        text += "\nwebhook requests carry X-Herald-Signature: sha256=HMAC-SHA256 of the body with your signing "
                "secret (shown once, when it was made)";
    return text;
}

std::string describe_preferences(const storage::Preferences& p, const std::string& default_type) {
    return "your preferences:\n"
           "type " + p.message_type.value_or(default_type) + (p.message_type ? "" : " (the default)") +
           " - notifications come as " + p.message_type.value_or(default_type) + " messages\n" +
           describe_dnd(p.dnd_holds) + "\n" + describe_quiet(p) + "\n" + describe_escalation(p) + "\n" +
           (p.paused ? "paused - send resume to get notifications again" : "not paused") +
           "\nchange one with prefs KEY VALUE, e.g. prefs type headline (help lists them)";
}

std::string refusal_text(std::exception_ptr error, const std::string& requester) {
    try {
        std::rethrow_exception(error);
    } catch (const PubsubError& refusal) {
        return explain(refusal);
    } catch (const std::exception& failure) {
        spdlog::error("chat command from {} failed: {}", requester, failure.what());
    }
    return "Herald could not do that just now; please try again later";
}

}  // namespace

ChatCommands::ChatCommands(StanzaSender& sender, storage::StorageWorker& storage, Router& router,
                           const PubsubService& service, const Config& config, FeedGateway& feeds)
    : sender_(sender),
      storage_(storage),
      router_(router),
      service_(service),
      config_(config),
      feeds_(feeds),
      handlers_{
          {"help", &ChatCommands::help},
          {"sub", &ChatCommands::subscribe},
          {"subscribe", &ChatCommands::subscribe},
          {"unsub", &ChatCommands::unsubscribe},
          {"unsubscribe", &ChatCommands::unsubscribe},
          {"list", &ChatCommands::list},
          {"history", &ChatCommands::history},
          {"pause", &ChatCommands::pause},
          {"resume", &ChatCommands::resume},
          {"prefs", &ChatCommands::preferences},
          {"feed", &ChatCommands::feed},
          {"feeds", &ChatCommands::feed},
          {"unregister", &ChatCommands::unregister},
          {"topic", &ChatCommands::topic},
      } {}

void ChatCommands::on_message(const XmlElement& message) {
    const auto& type = message.attr("type");
    const auto* body = message.child("body");
    const auto& from = message.attr("from");
    if (!body || (!type.empty() && type != "chat" && type != "normal") || !is_user_jid(from)) return;
    if (body->text().size() > kMaxCommandBytes) return reply(from, "message too long: commands fit on one line");
    const auto command = parse_chat_command(body->text());
    const auto handler = handlers_.find(command.word);
    if (handler == handlers_.end()) return reply(from, unknown_command(command.word));
    spdlog::debug("chat command '{}' from {}", command.word, from);
    (this->*handler->second)({actor_of(from), from, command.argument});
}

Actor ChatCommands::actor_of(const std::string& from) const {
    Actor actor{bare_jid(from)};
    actor.admin = std::find(config_.admins.begin(), config_.admins.end(), actor.jid) != config_.admins.end();
    return actor;
}

void ChatCommands::reply(const std::string& to, const std::string& text) {
    sender_.send(chat_message(config_.component_jid, to, text));
}

template <class Result>
void ChatCommands::run(const Request& request, std::function<Result(storage::Repositories&)> work,
                       std::function<std::string(Result&)> done) {
    storage_.submit<Result>(std::move(work), [this, to = request.reply_to, done = std::move(done)](
                                                 std::optional<Result> result, std::exception_ptr error) {
        reply(to, error ? refusal_text(error, to) : done(*result));
    });
}

void ChatCommands::help(const Request& request) { reply(request.reply_to, kHelp); }

void ChatCommands::subscribe(const Request& request) {
    if (request.argument.empty()) return reply(request.reply_to, "usage: sub TOPIC");
    run<bool>(
        request,
        [this, actor = request.actor, topic = request.argument](storage::Repositories& repos) {
            service_.subscribe(repos, actor, topic, actor.jid);
            return true;
        },
        [topic = request.argument](bool&) { return "subscribed to " + topic; });
}

void ChatCommands::unsubscribe(const Request& request) {
    if (request.argument.empty()) return reply(request.reply_to, "usage: unsub TOPIC");
    run<bool>(
        request,
        [this, actor = request.actor, topic = request.argument](storage::Repositories& repos) {
            service_.unsubscribe(repos, actor, topic, actor.jid);
            return true;
        },
        [topic = request.argument](bool&) { return "unsubscribed from " + topic; });
}

void ChatCommands::list(const Request& request) {
    run<TopicList>(
        request,
        [this, actor = request.actor, search = request.argument](storage::Repositories& repos) {
            TopicList topics{{}, 0, feeds_.service().feeds_of(repos, actor), {}, 0, search};
            const auto subscribed = service_.subscriptions(repos, actor);
            for (const auto& topic : subscribed) {
                if (topic.rfind(kFeedPrefix, 0) == 0) continue;
                if (!search.empty() && topic.find(search) == std::string::npos) continue;
                if (topics.subscribed.size() < kMaxSubscriptionsListed) topics.subscribed.push_back(topic);
                else ++topics.more_subscribed;
            }
            find_others(repos, subscribed, topics);
            return topics;
        },
        [](TopicList& topics) { return topics_text(topics); });
}

void ChatCommands::history(const Request& request) {
    const auto count = parse_history_count(request.argument, kDefaultHistoryCount);
    if (!count) return reply(request.reply_to, "usage: history [N], e.g. history 20");
    run<std::vector<storage::HistoryEntry>>(
        request,
        [this, actor = request.actor, count = *count](storage::Repositories& repos) {
            return service_.history(repos, actor, count);
        },
        [](std::vector<storage::HistoryEntry>& entries) { return history_text(entries); });
}

void ChatCommands::pause(const Request& request) { set_paused(request, true); }

void ChatCommands::resume(const Request& request) { set_paused(request, false); }

// The router learns at once, so delivery stops or the queue flushes now.
void ChatCommands::set_paused(const Request& request, bool paused) {
    run<storage::Preferences>(
        request,
        [this, actor = request.actor, paused](storage::Repositories& repos) {
            return service_.set_paused(repos, actor, paused);
        },
        [this, jid = request.actor.jid](storage::Preferences& preferences) {
            router_.on_preferences(jid, preferences);
            return std::string(preferences.paused ? kPaused : kResumed);
        });
}

void ChatCommands::preferences(const Request& request) {
    if (request.argument.empty()) show_preferences(request);
    else change_preferences(request);
}

void ChatCommands::show_preferences(const Request& request) {
    run<storage::Preferences>(
        request,
        [this, actor = request.actor](storage::Repositories& repos) { return service_.preferences(repos, actor); },
        [this](storage::Preferences& preferences) { return describe_preferences(preferences, config_.message_type); });
}

// A webhook signing secret just made is told this once, in an answer the
// trace log skips and servers are asked not to archive (XEP-0334).
void ChatCommands::change_preferences(const Request& request) {
    struct Saved {
        storage::Preferences preferences;
        std::optional<std::string> new_secret;
    };
    storage_.submit<Saved>(
        [this, actor = request.actor, change = request.argument](storage::Repositories& repos) {
            auto preferences = service_.preferences(repos, actor);
            if (const auto sentence = parse_chat_command(change); sentence.word == "webhook-secret") {
                if (sentence.argument != "new") throw PubsubError("modify", "bad-request", "", "usage: prefs webhook-secret new");
                return Saved{preferences, service_.new_webhook_secret(repos, actor)};
            }
            if (const auto problem = change_preference(preferences, change))
                throw PubsubError("modify", "bad-request", "", *problem);
            auto new_secret = service_.set_preferences(repos, actor, preferences);
            return Saved{service_.preferences(repos, actor), std::move(new_secret)};
        },
        [this, to = request.reply_to, jid = request.actor.jid](std::optional<Saved> saved, std::exception_ptr error) {
            if (error) return reply(to, refusal_text(error, to));
            router_.on_preferences(jid, saved->preferences);
            auto text = "saved\n" + describe_preferences(saved->preferences, config_.message_type);
            if (!saved->new_secret) return reply(to, text);
            auto message = chat_message(config_.component_jid, to,
                                        text + "\nyour webhook signing secret, shown this once (keep it): " +
                                            *saved->new_secret);
            message.add_child("no-permanent-store", ns::kHints);
            sender_.send(message.mark_secret());
        });
}

// unregister: what it deletes; unregister yes: does it, as XEP-0077 <remove/>.
void ChatCommands::unregister(const Request& request) {
    const auto answer = parse_chat_command(request.argument);
    if (answer.word != "yes" || !answer.argument.empty())
        return reply(request.reply_to, unregister_warning(request.actor.jid) + " Reply 'unregister yes' to confirm.");
    run<RemovedUser>(
        request,
        [jid = request.actor.jid](storage::Repositories& repos) {
            auto removed = remove_user(repos, jid);
            if (!removed) throw PubsubError("auth", "registration-required");
            return std::move(*removed);
        },
        [this, jid = request.actor.jid](RemovedUser& removed) {
            after_user_removed(sender_, router_, config_.component_jid, jid, removed);
            return std::string(kUnregistered);
        });
}

// topic TOPIC ack required|optional | topic TOPIC (its settings)
void ChatCommands::topic(const Request& request) {
    const auto words = split_words(request.argument);
    const bool show = words.size() == 1;
    if (!show && (words.size() != 3 || words[1] != "ack" || (words[2] != "required" && words[2] != "optional")))
        return reply(request.reply_to, "usage: topic TOPIC ack required|optional");
    run<bool>(
        request,
        [this, actor = request.actor, words, show](storage::Repositories& repos) {
            if (!show) service_.set_ack_default(repos, actor, words[0], words[2] == "required");
            return service_.ack_default(repos, actor, words[0]);
        },
        [topic = words.empty() ? std::string() : words[0]](bool& required) {
            return "topic " + topic + ": " +
                   (required ? "notifications ask for an acknowledgement unless their publisher says none"
                             : "notifications ask for an acknowledgement only when their publisher says so");
        });
}

// feed add URL [SECONDS] | feed remove URL | feed (your feeds)
void ChatCommands::feed(const Request& request) {
    const auto sentence = parse_chat_command(request.argument);
    if (sentence.word.empty()) return list(request);
    if (sentence.word == "add") return add_feed(request, sentence.argument);
    if (sentence.word == "remove" || sentence.word == "rm" || sentence.word == "del")
        return remove_feed(request, sentence.argument);
    reply(request.reply_to, "usage: feed add URL [SECONDS], feed remove URL");
}

void ChatCommands::add_feed(const Request& request, const std::string& argument) {
    const auto words = split_words(argument);
    if (words.empty() || words.size() > 2) return reply(request.reply_to, "usage: feed add URL [SECONDS]");
    std::optional<std::int64_t> interval;
    if (words.size() == 2) {
        std::int64_t seconds = 0;
        const auto& text = words[1];
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (error != std::errc() || end != text.data() + text.size())
            return reply(request.reply_to, "the interval must be a whole number of seconds");
        interval = seconds;
    }
    run<FeedAdded>(
        request,
        [this, actor = request.actor, url = words[0], interval](storage::Repositories& repos) {
            return feeds_.service().add(repos, actor, url, interval);
        },
        [this](FeedAdded& added) {
            feeds_.added(added);
            return "following " + added.feed.url + " (topic " + added.feed.node + ", checked every " +
                   std::to_string(added.feed.interval_seconds) + " s); its new items will come to you";
        });
}

void ChatCommands::remove_feed(const Request& request, const std::string& argument) {
    if (argument.empty()) return reply(request.reply_to, "usage: feed remove URL");
    run<FeedRemoved>(
        request,
        [this, actor = request.actor, url = argument](storage::Repositories& repos) {
            return feeds_.service().remove(repos, actor, url);
        },
        [this](FeedRemoved& removed) {
            feeds_.removed(removed);
            return "no longer following " + removed.feed.url;
        });
}

}  // namespace herald::component
