#include "component/chat_commands.h"

#include <spdlog/spdlog.h>

#include <map>

#include "component/chat_command_parser.h"
#include "component/commands/add_feed.h"
#include "component/commands/change_preferences.h"
#include "component/commands/command_failure.h"
#include "component/commands/history.h"
#include "component/commands/pause.h"
#include "component/commands/remove_feed.h"
#include "component/commands/show_preferences.h"
#include "component/commands/subscribe.h"
#include "component/commands/topic_acknowledgement.h"
#include "component/commands/topic_overview.h"
#include "component/commands/unregister.h"
#include "component/commands/unsubscribe.h"
#include "component/namespaces.h"
#include "component/user_stanzas.h"
#include "routing/router.h"
#include "text/jid.h"
#include "text/safe_text.h"

namespace herald::component {

using herald::text::is_user_jid;

using herald::routing::PubsubService;
using herald::routing::Router;
using herald::routing::priority_name;

namespace {

constexpr int kDefaultHistoryCount = 10;

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
    std::string text = commands::history_heading(entries.size()) + ":";
    for (const auto& line : commands::history_lines(entries)) text += "\n" + line;
    return text;
}

std::string topics_text(const commands::TopicOverview::Outcome& topics) {
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

}  // namespace

ChatCommands::ChatCommands(StanzaSender& sender, routing::UserNotices& notices, storage::StorageWorker& storage,
                           Router& router, const routing::RuleServices& rules, const Config& config, FeedGateway& feeds)
    : sender_(sender),
      notices_(notices),
      storage_(storage),
      router_(router),
      rules_(rules),
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
    (this->*handler->second)({commands::actor_of(from, config_.admins), from, command.argument});
}

void ChatCommands::reply(const std::string& to, const std::string& text) {
    sender_.send(chat_message(config_.component.jid, to, text));
}

template <commands::UserCommand Command>
void ChatCommands::run(const Request& request, Command command, typename Command::Input input,
                       std::function<std::string(typename Command::Outcome&)> render) {
    commands::submit(
        storage_, std::move(command), request.actor, std::move(input),
        [this, to = request.reply_to, render = std::move(render)](typename Command::Outcome& outcome) {
            reply(to, render(outcome));
        },
        [this, to = request.reply_to](std::exception_ptr error) { refused(to, error); });
}

void ChatCommands::refused(const std::string& to, std::exception_ptr error) {
    reply(to, commands::command_failure(error, to).text);
}

void ChatCommands::help(const Request& request) { reply(request.reply_to, kHelp); }

void ChatCommands::subscribe(const Request& request) {
    if (request.argument.empty()) return reply(request.reply_to, "usage: sub TOPIC");
    run(request, commands::Subscribe(rules_.pubsub), {request.argument},
        [](commands::Subscribe::Outcome& done) { return "subscribed to " + done.topic; });
}

void ChatCommands::unsubscribe(const Request& request) {
    if (request.argument.empty()) return reply(request.reply_to, "usage: unsub TOPIC");
    run(request, commands::Unsubscribe(rules_.pubsub), {{request.argument}},
        [topic = request.argument](commands::Unsubscribe::Outcome&) { return "unsubscribed from " + topic; });
}

void ChatCommands::list(const Request& request) {
    run(request, commands::TopicOverview(rules_.pubsub, feeds_), {request.argument},
        [](commands::TopicOverview::Outcome& topics) { return topics_text(topics); });
}

void ChatCommands::history(const Request& request) {
    const auto count = parse_history_count(request.argument, kDefaultHistoryCount);
    if (!count) return reply(request.reply_to, "usage: history [N], e.g. history 20");
    run(request, commands::History(rules_.preferences), {*count},
        [](commands::History::Outcome& done) { return history_text(done.entries); });
}

void ChatCommands::pause(const Request& request) { set_paused(request, true); }

void ChatCommands::resume(const Request& request) { set_paused(request, false); }

void ChatCommands::set_paused(const Request& request, bool paused) {
    run(request, commands::Pause(rules_.preferences, router_), {paused}, [](commands::Pause::Outcome& done) {
        return std::string(done.preferences.paused ? kPaused : kResumed);
    });
}

void ChatCommands::preferences(const Request& request) {
    if (request.argument.empty()) show_preferences(request);
    else change_preferences(request);
}

void ChatCommands::show_preferences(const Request& request) {
    run(request, commands::ShowPreferences(rules_.preferences), {}, [this](commands::ShowPreferences::Outcome& done) {
        return describe_preferences(done.preferences, config_.delivery.message_type);
    });
}

// A webhook signing secret just made is told this once, in an answer the
// trace log skips and servers are asked not to archive (XEP-0334).
void ChatCommands::change_preferences(const Request& request) {
    commands::ChangePreferences::Input input;
    if (const auto sentence = parse_chat_command(request.argument); sentence.word == "webhook-secret") {
        if (sentence.argument != "new") return reply(request.reply_to, "usage: prefs webhook-secret new");
        input.new_webhook_secret = true;
    } else {
        input.change = request.argument;
    }
    commands::submit(
        storage_, commands::ChangePreferences(rules_.preferences, router_), request.actor, std::move(input),
        [this, to = request.reply_to](commands::ChangePreferences::Outcome& saved) {
            auto text = "saved\n" + describe_preferences(saved.preferences, config_.delivery.message_type);
            if (!saved.new_secret) return reply(to, text);
            auto message = chat_message(config_.component.jid, to,
                                        text + "\nyour webhook signing secret, shown this once (keep it): " +
                                            *saved.new_secret);
            message.add_child("no-permanent-store", ns::kHints);
            sender_.send(message.mark_secret());
        },
        [this, to = request.reply_to](std::exception_ptr error) { refused(to, error); });
}

// unregister: what it deletes; unregister yes: does it, as XEP-0077 <remove/>.
void ChatCommands::unregister(const Request& request) {
    const auto answer = parse_chat_command(request.argument);
    if (answer.word != "yes" || !answer.argument.empty())
        return reply(request.reply_to,
                     commands::unregister_warning(request.actor.jid) + " Reply 'unregister yes' to confirm.");
    run(request, commands::Unregister(notices_, router_), {},
        [](commands::Unregister::Outcome&) { return std::string(commands::kUnregistered); });
}

// topic TOPIC ack required|optional | topic TOPIC (its settings)
void ChatCommands::topic(const Request& request) {
    const auto words = split_words(request.argument);
    const bool show = words.size() == 1;
    if (!show && (words.size() != 3 || words[1] != "ack" || (words[2] != "required" && words[2] != "optional")))
        return reply(request.reply_to, "usage: topic TOPIC ack required|optional");
    commands::TopicAcknowledgement::Input input{words[0], std::nullopt};
    if (!show) input.required = words[2] == "required";
    run(request, commands::TopicAcknowledgement(rules_.pubsub), std::move(input),
        [](commands::TopicAcknowledgement::Outcome& done) {
            return "topic " + done.topic + ": " +
                   (done.required ? "notifications ask for an acknowledgement unless their publisher says none"
                                  : "notifications ask for an acknowledgement only when their publisher says so");
        });
}

// feed add URL [SECONDS] | feed remove URL | feed (your feeds)
void ChatCommands::feed(const Request& request) {
    using Action = void (ChatCommands::*)(const Request&, const std::string&);
    static const std::map<std::string, Action, std::less<>> actions{{"add", &ChatCommands::add_feed},
                                                                    {"remove", &ChatCommands::remove_feed},
                                                                    {"rm", &ChatCommands::remove_feed},
                                                                    {"del", &ChatCommands::remove_feed}};
    const auto sentence = parse_chat_command(request.argument);
    if (sentence.word.empty()) return list(request);
    const auto action = actions.find(sentence.word);
    if (action == actions.end()) return reply(request.reply_to, "usage: feed add URL [SECONDS], feed remove URL");
    (this->*action->second)(request, sentence.argument);
}

void ChatCommands::add_feed(const Request& request, const std::string& argument) {
    const auto words = split_words(argument);
    if (words.empty() || words.size() > 2) return reply(request.reply_to, "usage: feed add URL [SECONDS]");
    std::optional<std::int64_t> interval;
    if (words.size() == 2) {
        interval = whole_number<std::int64_t>(words[1]);
        if (!interval) return reply(request.reply_to, "the interval must be a whole number of seconds");
    }
    run(request, commands::AddFeed(feeds_), {words[0], interval}, [](commands::AddFeed::Outcome& added) {
        return "following " + added.feed.url + " (topic " + added.feed.node + ", checked every " +
               std::to_string(added.feed.interval_seconds) + " s); its new items will come to you";
    });
}

void ChatCommands::remove_feed(const Request& request, const std::string& argument) {
    if (argument.empty()) return reply(request.reply_to, "usage: feed remove URL");
    run(request, commands::RemoveFeed(feeds_), {argument},
        [](commands::RemoveFeed::Outcome& removed) { return "no longer following " + removed.feed.url; });
}

}  // namespace herald::component
