#include "component/adhoc_commands.h"

#include <tuple>

#include "component/chat_command_parser.h"
#include "component/commands/acknowledge.h"
#include "component/commands/add_feed.h"
#include "component/commands/broadcast.h"
#include "component/commands/change_http_token.h"
#include "component/commands/change_preferences.h"
#include "component/commands/create_topic.h"
#include "component/commands/delete_topic.h"
#include "component/commands/feeds.h"
#include "component/commands/history.h"
#include "component/commands/http_tokens.h"
#include "component/commands/managed_topics.h"
#include "component/commands/pause.h"
#include "component/commands/preference_change.h"
#include "component/commands/publishers.h"
#include "component/commands/remove_feed.h"
#include "component/commands/remove_user.h"
#include "component/commands/set_publisher.h"
#include "component/commands/show_preferences.h"
#include "component/commands/stats.h"
#include "component/commands/subscribable_topics.h"
#include "component/commands/subscribe.h"
#include "component/commands/subscriptions.h"
#include "component/commands/topic_acknowledgement.h"
#include "component/commands/unregister.h"
#include "component/commands/unsubscribe.h"
#include "component/commands/user_command.h"
#include "component/commands/waiting_acknowledgements.h"
#include "component/notification_payload.h"
#include "text/jid.h"

namespace herald::component {

using herald::text::bare_jid;
using herald::text::is_user_jid;

using herald::routing::AckRequest;
using herald::routing::Actor;
using herald::routing::PubsubError;
using herald::routing::ack_answer;
using herald::routing::parse_priority;
using herald::routing::priority_name;

namespace {

[[noreturn]] void refuse(const std::string& text) { throw PubsubError(routing::Refusal::bad_request, "", text); }

std::string trimmed(const std::string& text) { return std::string(trim(text)); }

std::optional<std::string> optional_text(const DataForm& form, std::string_view var) {
    auto text = trimmed(form.value(var));
    if (text.empty()) return std::nullopt;
    return text;
}

std::string chosen(const DataForm& form, std::string_view var, const std::string& missing) {
    auto text = trimmed(form.value(var));
    if (text.empty()) refuse(missing);
    return text;
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : separator) + part;
    return text;
}

std::vector<FormOption> options_of(const std::vector<std::string>& values) {
    std::vector<FormOption> options;
    for (const auto& value : values) options.push_back({value, value});
    return options;
}

// Runs `command` in this storage job. A command with an after-commit step
// is rendered once that step has run, on the io thread, before the answer
// goes out (so `render` takes what it needs by value and does not refuse);
// any other is rendered here.
template <commands::UserCommand Command, class Render>
CommandStage perform(const Command& command, storage::Repositories& repos, const Actor& actor,
                     const typename Command::Input& input, Render render) {
    auto outcome = command.run(repos, actor, input);
    if constexpr (!commands::CommitsAfter<Command>) {
        return render(outcome);
    } else {
        CommandStage stage;
        stage.after_commit = [command, actor, outcome = std::move(outcome),
                              render = std::move(render)](CommandStage& done) mutable {
            command.committed(actor, outcome);
            done = render(outcome);
        };
        return stage;
    }
}

// A form whose one question is which topic.
CommandStage choose_topic(std::string title, std::string instructions, const std::vector<std::string>& topics) {
    DataForm form;
    form.set_title(std::move(title));
    form.set_instructions(std::move(instructions));
    form.add_list("topic", "Topic", options_of(topics)).required = true;
    return CommandStage::ask(std::move(form));
}

std::string duration_text(std::int64_t seconds) {
    const auto days = seconds / 86400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60;
    return std::to_string(days) + " d " + std::to_string(hours) + " h " + std::to_string(minutes) + " min";
}

// Topics and subscriptions.

DataForm search_topics_form(std::string instructions, std::string search = {}) {
    DataForm form;
    form.set_title("Subscribe to a topic");
    form.set_instructions(std::move(instructions));
    form.add_text("search", "Search topics", std::move(search)).required = true;
    return form;
}

// Few topics: the list at once, as it always was. Many: a search first.
CommandStage subscribe_form(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::SubscribableTopics(c.rules.pubsub), repos, actor, {""},
                   [](const commands::SubscribableTopics::Outcome& choice) {
                       if (choice.topics.empty())
                           return CommandStage::done("There is no topic you are not subscribed to already.");
                       if (choice.more == 0)
                           return choose_topic("Subscribe to a topic",
                                               "Choose the topic whose notifications you want to receive.",
                                               choice.topics);
                       return CommandStage::ask(
                           search_topics_form("There are " + std::to_string(choice.topics.size() + choice.more) +
                                              " topics: type part of a topic's name to find it."));
                   });
}

// The topics matching a search, the search kept to narrow it; `searched`
// says which search the list shows, so a changed search searches again.
CommandStage matching_topics(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                             const std::string& search) {
    return perform(commands::SubscribableTopics(c.rules.pubsub), repos, actor, {search},
                   [search](const commands::SubscribableTopics::Outcome& choice) {
                       if (choice.topics.empty())
                           refuse("no topic you are not subscribed to matches '" + search + "': try another search");
                       auto form = search_topics_form("Choose the topic whose notifications you want to receive, or "
                                                      "change the search to find others.",
                                                      search);
                       form.add_field("searched", "hidden", "Searched for", {search});
                       form.add_list("topic", "Topic", options_of(choice.topics)).required = true;
                       if (choice.more > 0)
                           form.show_problem(std::to_string(choice.more) +
                                             " more topics match: narrow the search to see them.");
                       return CommandStage::ask(std::move(form));
                   });
}

CommandStage subscribe(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                       const DataForm& form) {
    const auto search = trimmed(form.value("search"));
    const auto topic = trimmed(form.value("topic"));
    // A new search (or a changed one) lists its matches; a topic chosen from
    // the list of the search still shown subscribes.
    if (!search.empty() && (topic.empty() || search != trimmed(form.value("searched"))))
        return matching_topics(c, repos, actor, search);
    if (topic.empty()) refuse(form.field("search") ? "type part of a topic's name" : "choose a topic");
    return perform(commands::Subscribe(c.rules.pubsub), repos, actor, {topic}, [](const commands::Subscribe::Outcome& done) {
        return CommandStage::done("You are subscribed to " + done.topic + ".");
    });
}

CommandStage unsubscribe_form(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::Subscriptions(c.rules.pubsub), repos, actor, {.with_inbox = false},
                   [](const commands::Subscriptions::Outcome& subscribed) {
                       if (subscribed.topics.empty()) return CommandStage::done("You are not subscribed to any topic.");
                       DataForm form;
                       form.set_title("Unsubscribe");
                       form.set_instructions("Choose the topics you no longer want to hear from.");
                       auto& field = form.add_field("topics", "list-multi", "Topics");
                       field.options = options_of(subscribed.topics);
                       field.required = true;
                       return CommandStage::ask(std::move(form));
                   });
}

CommandStage unsubscribe(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                         const DataForm& form) {
    std::vector<std::string> topics;
    for (const auto& value : form.values("topics"))
        if (!trimmed(value).empty()) topics.push_back(trimmed(value));
    if (topics.empty()) refuse("choose at least one topic");
    return perform(commands::Unsubscribe(c.rules.pubsub), repos, actor, {topics},
                   [](const commands::Unsubscribe::Outcome& done) {
                       return CommandStage::done("You are no longer subscribed to " + joined(done.topics, ", ") + ".");
                   });
}

CommandStage list_subscriptions(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::Subscriptions(c.rules.pubsub), repos, actor, {},
                   [](const commands::Subscriptions::Outcome& subscribed) {
                       const auto& topics = subscribed.topics;
                       DataForm result("result");
                       result.set_title("Your subscriptions");
                       if (topics.empty()) result.add_fixed("Topics", "You are not subscribed to any topic.");
                       else result.add_lines("topics", "Topics (" + std::to_string(topics.size()) + ")", topics);
                       return CommandStage::done({}, std::move(result));
                   });
}

CommandStage create_topic_form(const CommandContext&, storage::Repositories&, const Actor&) {
    DataForm form;
    form.set_title("Create a topic");
    form.set_instructions("You will own the topic: you may delete it and choose who publishes to it.");
    form.add_text("topic", "Name").required = true;
    form.add_list("publish_model", "Who may publish",
                  {{"publishers", "You and the publishers you allow"}, {"open", "Any registered user"}},
                  "publishers");
    return CommandStage::ask(std::move(form));
}

CommandStage create_topic(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                          const DataForm& form) {
    const auto topic = trimmed(form.value("topic"));
    const auto model = optional_text(form, "publish_model").value_or("publishers");
    return perform(commands::CreateTopic(c.rules.pubsub), repos, actor, {topic, model},
                   [](const commands::CreateTopic::Outcome& created) {
                       return CommandStage::done("Created topic " + created.topic + "; you own it.");
                   });
}

// Admins may delete any topic, so they choose among all of them.
CommandStage delete_topic_form(const CommandContext&, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::ManagedTopics(), repos, actor, {}, [](const commands::ManagedTopics::Outcome& managed) {
        if (managed.topics.empty()) return CommandStage::done("You own no topic.");
        return choose_topic("Delete a topic",
                            "The topic, its notifications and its subscriptions go; subscribers are told.",
                            managed.topics);
    });
}

CommandStage delete_topic(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                          const DataForm& form) {
    const auto topic = chosen(form, "topic", "choose a topic");
    return perform(commands::DeleteTopic(c.rules.pubsub, c.notices), repos, actor, {topic},
                   [](const commands::DeleteTopic::Outcome& deleted) {
                       return CommandStage::done("Deleted topic " + deleted.topic + "; " +
                                                 std::to_string(deleted.subscribers.size()) +
                                                 " subscribers were told.");
                   });
}

CommandStage publishers_form(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::Publishers(c.rules.pubsub), repos, actor, {}, [](const commands::Publishers::Outcome& known) {
        std::vector<FormOption> topics{{known.inbox, "Your inbox (" + known.inbox + ")"}};
        for (const auto& topic : known.owned) topics.push_back({topic, topic});
        DataForm form;
        form.set_title("Publishers");
        form.set_instructions("Allow someone to publish to your inbox or to a topic you own, or stop them.");
        for (const auto& publisher : known.publishers)
            form.add_fixed("Publisher", publisher.jid + " publishes to " + publisher.topic);
        form.add_list("topic", "Topic", topics, known.inbox).required = true;
        form.add_field("jid", "jid-single", "Publisher (name@example.org)").required = true;
        form.add_list("action", "Action", {{"allow", "Allow to publish"}, {"remove", "No longer allow"}}, "allow");
        return CommandStage::ask(std::move(form));
    });
}

CommandStage set_publisher(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                           const DataForm& form) {
    const auto topic = chosen(form, "topic", "choose a topic");
    const auto jid = bare_jid(trimmed(form.value("jid")));
    if (!is_user_jid(jid)) refuse("enter the publisher's address, like name@example.org");
    const auto action = optional_text(form, "action").value_or("allow");
    if (action != "allow" && action != "remove") refuse("choose allow or remove");
    return perform(commands::SetPublisher(c.rules.pubsub), repos, actor, {topic, jid, action == "allow"},
                   [](const commands::SetPublisher::Outcome& done) {
                       return CommandStage::done(done.jid +
                                                 (done.allow ? " may now publish to " : " may no longer publish to ") +
                                                 done.topic + ".");
                   });
}

constexpr int kAcknowledgeChoices = 30;

CommandStage acknowledge_form(const CommandContext&, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::WaitingAcknowledgements(), repos, actor, {kAcknowledgeChoices},
                   [](const commands::WaitingAcknowledgements::Outcome& waiting) {
                       if (waiting.items.empty()) return CommandStage::done("Nothing waits for your acknowledgement.");
                       std::vector<FormOption> items;
                       for (const auto& queued : waiting.items)
                           items.push_back({std::to_string(queued.seq),
                                            notification_text(queued.item) + " (" + queued.item.item_id + ")"});
                       DataForm form;
                       form.set_title("Acknowledge");
                       form.set_instructions("Say you have seen a notification: it stops escalating for everyone, "
                                             "and its publisher and the other recipients are told. The one you "
                                             "received last comes first.");
                       if (items.size() == 1) {
                           form.add_fixed("Notification", items.front().label);
                           form.add_field("item", "hidden", "Notification", {items.front().value});
                       } else {
                           form.add_list("item", "Notification", items, items.front().value).required = true;
                       }
                       return CommandStage::ask(std::move(form));
                   });
}

CommandStage acknowledge(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                         const DataForm& form) {
    const AckRequest request{AckRequest::Target::item, chosen(form, "item", "choose a notification")};
    return perform(commands::Acknowledge(c.acks), repos, actor, request,
                   [jid = actor.jid](const commands::Acknowledge::Outcome& done) {
                       return CommandStage::done(ack_answer(done.result, done.request, jid));
                   });
}

CommandStage topic_settings_form(const CommandContext&, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::ManagedTopics(), repos, actor, {}, [](const commands::ManagedTopics::Outcome& managed) {
        const auto& topics = managed.topics;
        if (topics.empty()) return CommandStage::done("You own no topic.");
        DataForm form;
        form.set_title("Topic settings");
        form.set_instructions("Whether a topic's notifications ask for a person's acknowledgement when their "
                              "publisher does not say.");
        form.add_list("topic", "Topic", options_of(topics), topics.front()).required = true;
        form.add_list("ack", "Acknowledgement",
                      {{"optional", "Only when the publisher asks"},
                       {"required", "Always, unless the publisher says none"}},
                      "optional");
        return CommandStage::ask(std::move(form));
    });
}

CommandStage save_topic_settings(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                                 const DataForm& form) {
    const auto topic = chosen(form, "topic", "choose a topic");
    const auto ack = optional_text(form, "ack").value_or("optional");
    if (ack != "optional" && ack != "required") refuse("choose optional or required");
    return perform(commands::TopicAcknowledgement(c.rules.pubsub), repos, actor, {topic, ack == "required"},
                   [](const commands::TopicAcknowledgement::Outcome& done) {
                       return CommandStage::done(done.topic +
                                                 (done.required ? ": notifications ask for an acknowledgement."
                                                                : ": notifications ask for an acknowledgement only "
                                                                  "when their publisher says so."));
                   });
}

// Feeds: one shared topic per feed URL.

CommandStage add_feed_form(const CommandContext& c, storage::Repositories&, const Actor&) {
    DataForm form;
    form.set_title("Add a feed");
    form.set_instructions("An RSS or Atom feed (http or https). Its new items come to you as notifications; "
                          "what it holds today does not.");
    form.add_text("url", "Feed URL").required = true;
    form.add_text("interval", "Check every (seconds, at least " + std::to_string(c.config.feeds.min_interval_seconds) +
                                  ")",
                  std::to_string(c.config.feeds.default_interval_seconds));
    return CommandStage::ask(std::move(form));
}

CommandStage add_feed(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                      const DataForm& form) {
    const auto url = chosen(form, "url", "enter the feed's URL");
    std::optional<std::int64_t> interval;
    if (const auto text = optional_text(form, "interval")) {
        interval = whole_number<std::int64_t>(*text);
        if (!interval) refuse("the interval must be a whole number of seconds");
    }
    return perform(commands::AddFeed(c.feeds), repos, actor, {url, interval},
                   [url](const commands::AddFeed::Outcome& added) {
                       return CommandStage::done("You are subscribed to the feed " + url + " (topic " +
                                                 added.feed.node + "); it is checked every " +
                                                 std::to_string(added.feed.interval_seconds) + " seconds.");
                   });
}

CommandStage remove_feed_form(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::Feeds(c.feeds), repos, actor, {}, [](const commands::Feeds::Outcome& followed) {
        std::vector<FormOption> feeds;
        for (const auto& feed : followed.feeds)
            feeds.push_back({feed.url, feed.title.empty() ? feed.url : feed.title + " (" + feed.url + ")"});
        if (feeds.empty()) return CommandStage::done("You have no feed.");
        DataForm form;
        form.set_title("Remove a feed");
        form.set_instructions("Choose the feed you no longer want to follow.");
        form.add_list("url", "Feed", feeds).required = true;
        return CommandStage::ask(std::move(form));
    });
}

CommandStage remove_feed(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                         const DataForm& form) {
    return perform(commands::RemoveFeed(c.feeds), repos, actor, {chosen(form, "url", "choose a feed")},
                   [](const commands::RemoveFeed::Outcome& removed) {
                       return CommandStage::done("You no longer follow the feed " + removed.feed.url + ".");
                   });
}

// Preferences and delivery.

// Quiet hours switched off keep a suggestion in their fields, so switching
// them on is one tick.
DataForm preferences_form(const storage::Preferences& p, const Config& config) {
    DataForm form;
    form.set_title("Preferences");
    form.set_instructions("During quiet hours only urgent notifications come through; the others wait until "
                          "the quiet hours end. Times are HH:MM in your time zone.");
    form.add_list("message_type", "Message type",
                  {{"chat", "Chat message (shown in the conversation)"},
                   {"headline", "Headline (most clients show it apart from the conversation)"},
                   {"pubsub", "XEP-0060 event, no text (for programs)"}},
                  p.message_type.value_or(config.delivery.message_type));
    form.add_list("dnd_holds", "While do-not-disturb, hold back",
                  {{"none", "Nothing"},
                   {"low", "Low priority"},
                   {"normal", "Normal and low priority"},
                   {"high", "Everything but urgent"}},
                  p.dnd_holds);
    const bool quiet = p.quiet_start && p.quiet_end;
    form.add_boolean("quiet", "Quiet hours", quiet);
    form.add_text("quiet_start", "Quiet hours start (HH:MM)", quiet ? *p.quiet_start : "22:00");
    form.add_text("quiet_end", "Quiet hours end (HH:MM)", quiet ? *p.quiet_end : "07:00");
    form.add_text("quiet_zone", "Time zone (e.g. Europe/Paris)", p.quiet_zone.value_or("UTC"));
    form.add_list("escalation_channel", "When you stay away, escalate by",
                  {{"none", "Nothing"}, {"mail", "Mail"}, {"webhook", "Webhook"}}, p.escalation_channel);
    form.add_text("escalation_minutes", "Escalate after (minutes)", std::to_string(p.escalation_minutes));
    form.add_text("escalation_target", "Escalation address or URL", p.escalation_target.value_or(""));
    form.add_list("escalation_priority", "Escalate",
                  {{"low", "Every notification"},
                   {"normal", "Normal, high and urgent"},
                   {"high", "High and urgent"},
                   {"urgent", "Urgent only"}},
                  priority_name(p.escalation_min_priority));
    form.add_boolean("paused", "Paused (notifications wait in the queue)", p.paused);
    if (p.escalation_channel == "webhook")
        form.add_boolean("new_webhook_secret", "Make a new webhook signing secret (shown once; the old one stops working)",
                         false);
    return form;
}

// The checks are the chat command's (commands/preference_change.h), so both
// name the value that is wrong the same way.
storage::Preferences read_preferences(const DataForm& form) {
    auto check = [](std::optional<std::string> problem) {
        if (problem) refuse(*problem);
    };
    storage::Preferences p;
    p.message_type = optional_text(form, "message_type");
    p.dnd_holds = optional_text(form, "dnd_holds").value_or("none");
    if (form.boolean("quiet").value_or(false))
        check(commands::set_quiet_hours(p, trimmed(form.value("quiet_start")), trimmed(form.value("quiet_end")),
                                        optional_text(form, "quiet_zone").value_or("UTC")));
    p.escalation_channel = optional_text(form, "escalation_channel").value_or("none");
    if (const auto minutes = optional_text(form, "escalation_minutes"))
        check(commands::set_escalation_minutes(p, *minutes));
    if (p.escalation_channel != "none") {
        p.escalation_target = optional_text(form, "escalation_target");
        check(commands::check_escalation_target(p.escalation_channel, p.escalation_target));
    }
    const auto threshold = parse_priority(optional_text(form, "escalation_priority").value_or("normal"));
    if (!threshold) refuse("escalation priority must be low, normal, high or urgent");
    p.escalation_min_priority = *threshold;
    p.paused = form.boolean("paused").value_or(false);
    return p;
}

CommandStage preferences_form_stage(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::ShowPreferences(c.rules.preferences), repos, actor, {},
                   [&c](const commands::ShowPreferences::Outcome& shown) {
                       return CommandStage::ask(preferences_form(shown.preferences, c.config));
                   });
}

CommandStage save_preferences(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                              const DataForm& form) {
    commands::ChangePreferences::Input input;
    input.all = read_preferences(form);
    input.new_webhook_secret = form.boolean("new_webhook_secret").value_or(false);
    return perform(commands::ChangePreferences(c.rules.preferences, c.router), repos, actor, input,
                   [](const commands::ChangePreferences::Outcome& saved) {
                       if (!saved.new_secret) return CommandStage::done("Your preferences are saved.");
                       // Shown this once, as a field of an answer the log never writes.
                       DataForm result("result");
                       result.add_text("webhook_secret", "Webhook signing secret (shown once)", *saved.new_secret);
                       auto stage = CommandStage::done(
                           "Your preferences are saved. Webhook requests carry X-Herald-Signature: sha256= and the "
                           "HMAC-SHA256 of the body with the signing secret above, shown this once.",
                           std::move(result));
                       stage.secret = true;
                       return stage;
                   });
}

CommandStage set_paused(const CommandContext& c, storage::Repositories& repos, const Actor& actor, bool paused) {
    return perform(commands::Pause(c.rules.preferences, c.router), repos, actor, {paused},
                   [](const commands::Pause::Outcome& done) {
                       return CommandStage::done(done.preferences.paused
                                                     ? "Paused: notifications wait in your queue until you resume."
                                                     : "Resumed: what waited in your queue is on its way.");
                   });
}

CommandStage history_form(const CommandContext& c, storage::Repositories&, const Actor&) {
    DataForm form;
    form.set_title("History");
    form.set_instructions("Your last notifications: delivered, dropped or expired, newest first.");
    form.add_text("count", "How many (1 to " + std::to_string(c.config.pubsub.max_items_returned) + ")", "10");
    return CommandStage::ask(std::move(form));
}

CommandStage history(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                     const DataForm& form) {
    const auto count = whole_number<std::int64_t>(optional_text(form, "count").value_or("10"));
    if (!count || *count < 1 || *count > c.config.pubsub.max_items_returned)
        refuse("how many must be a number from 1 to " + std::to_string(c.config.pubsub.max_items_returned));
    return perform(commands::History(c.rules.preferences), repos, actor, {static_cast<int>(*count)},
                   [](const commands::History::Outcome& done) {
                       DataForm result("result");
                       result.set_title("History");
                       if (done.entries.empty()) result.add_fixed("Notifications", "Nothing has reached you yet.");
                       else
                           result.add_lines("history", commands::history_heading(done.entries.size()),
                                            commands::history_lines(done.entries));
                       return CommandStage::done({}, std::move(result));
                   });
}

// Admins.

CommandStage stats(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::Stats(c.rules.pubsub, c.router, c.started), repos, actor, {},
                   [](const commands::Stats::Outcome& stats) {
                       const auto& counts = stats.counts;
                       DataForm result("result");
                       result.set_title("Herald statistics");
                       for (const auto& [var, label, value] :
                            std::vector<std::tuple<std::string, std::string, std::int64_t>>{
                                {"users", "Registered users", counts.users},
                                {"online_users", "Users online", stats.online_users},
                                {"topics", "Topics", counts.nodes},
                                {"queued", "Notifications queued", counts.queued},
                                {"delivered", "Notifications delivered", counts.delivered},
                                {"dropped", "Notifications dropped (queue full)", counts.dropped},
                                {"expired", "Notifications expired", counts.expired},
                                {"uptime_seconds", "Uptime (seconds)", stats.uptime_seconds}})
                           result.add_text(var, label, std::to_string(value));
                       return CommandStage::done("Herald has been up for " + duration_text(stats.uptime_seconds) + ".",
                                                 std::move(result));
                   });
}

CommandStage broadcast_form(const CommandContext&, storage::Repositories&, const Actor&) {
    DataForm form;
    form.set_title("Broadcast");
    form.set_instructions("A high priority notification to every registered user.");
    form.add_text("title", "Title");
    form.add_field("text", "text-multi", "Text");
    return CommandStage::ask(std::move(form));
}

CommandStage broadcast(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                       const DataForm& form) {
    return perform(commands::Broadcast(c.rules.pubsub, c.router, c.metrics), repos, actor,
                   {trimmed(form.value("title")), trimmed(joined(form.values("text"), "\n"))},
                   [](const commands::Broadcast::Outcome& sent) {
                       return CommandStage::done("Sent to " + std::to_string(sent.subscribers.size()) + " users.");
                   });
}

// Bearer tokens for the HTTP publish API, one topic at a time.
CommandStage http_tokens_form(const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
    return perform(commands::HttpTokens(c.rules.tokens), repos, actor, {}, [](const commands::HttpTokens::Outcome& known) {
        if (known.topics.empty()) return CommandStage::done("You own no topic: create one first.");
        DataForm form;
        form.set_title("HTTP tokens");
        form.set_instructions("A token lets a script publish to one topic over HTTP. It is shown once, when made.");
        for (const auto& token : known.tokens) form.add_fixed("Token", token.topic + ": token '" + token.label + "'");
        form.add_list("topic", "Topic", options_of(known.topics)).required = true;
        form.add_list("action", "Action", {{"create", "Make a new token"}, {"revoke", "Revoke a token"}}, "create");
        form.add_text("label", "Label (what the token is for)").required = true;
        return CommandStage::ask(std::move(form));
    });
}

CommandStage http_tokens(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                         const DataForm& form) {
    const auto topic = chosen(form, "topic", "choose a topic");
    const auto label = chosen(form, "label", "give the token a label");
    const bool revoke = optional_text(form, "action").value_or("create") == "revoke";
    return perform(commands::ChangeHttpToken(c.rules.tokens), repos, actor, {topic, label, revoke},
                   [](const commands::ChangeHttpToken::Outcome& done) {
                       if (!done.token)
                           return CommandStage::done("Revoked token '" + done.label + "' of " + done.topic + ".");
                       const auto& token = *done.token;
                       DataForm result("result");
                       result.add_text("token", "Token (shown once)", token);
                       auto stage = CommandStage::done(
                           "Token '" + done.label + "' for " + done.topic + ": " + token +
                               " (shown once). Publish with: curl -H 'Authorization: Bearer " + token +
                               "' -d 'text' http://HOST:PORT/v1/nodes/" + done.topic,
                           std::move(result));
                       stage.secret = true;
                       return stage;
                   });
}

// Unregistering: the same rule as XEP-0077 <remove/> (user_service.h).
CommandStage unregister_form(const CommandContext&, storage::Repositories&, const Actor& actor) {
    DataForm form;
    form.set_title("Unregister");
    form.set_instructions(commands::unregister_warning(actor.jid));
    form.add_boolean("confirm", "Yes, unregister me and delete all of this", false);
    return CommandStage::ask(std::move(form));
}

CommandStage unregister(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                        const DataForm& form) {
    if (!form.boolean("confirm").value_or(false)) refuse("tick the box to confirm, or cancel the command");
    return perform(commands::Unregister(c.notices, c.router), repos, actor, {},
                   [](const commands::Unregister::Outcome&) { return CommandStage::done(commands::kUnregistered); });
}

// Admins remove a user by the same rule as the user's own unregistering.
CommandStage remove_user_form(const CommandContext&, storage::Repositories&, const Actor&) {
    DataForm form;
    form.set_title("Remove a user");
    form.set_instructions("Deletes a user's registration and all that is theirs, as their own unregistering would: "
                          "subscriptions, feeds, queue, history, inbox, the topics they created (subscribers are "
                          "told) and every HTTP token they made.");
    form.add_field("jid", "jid-single", "User (name@example.org)").required = true;
    form.add_boolean("confirm", "Yes, remove this user and all of this", false);
    return CommandStage::ask(std::move(form));
}

CommandStage remove_other_user(const CommandContext& c, storage::Repositories& repos, const Actor& actor,
                               const DataForm& form) {
    if (!actor.admin) throw PubsubError(routing::Refusal::forbidden);
    const auto jid = bare_jid(chosen(form, "jid", "give the user's JID"));
    if (!form.boolean("confirm").value_or(false)) refuse("tick the box to confirm, or cancel the command");
    return perform(commands::RemoveUser(c.notices, c.router), repos, actor, {jid},
                   [](const commands::RemoveUser::Outcome& done) {
                       return CommandStage::done("Removed " + done.jid + " and the " +
                                                 std::to_string(done.removed.topics.size()) + " topic(s) they owned.");
                   });
}

}  // namespace

CommandStage CommandStage::ask(DataForm form) {
    CommandStage stage;
    stage.status = CommandStatus::executing;
    stage.form = std::move(form);
    return stage;
}

CommandStage CommandStage::canceled() {
    CommandStage stage;
    stage.status = CommandStatus::canceled;
    return stage;
}

std::string CommandStage::status_name() const {
    switch (status) {
        case CommandStatus::executing: return "executing";
        case CommandStatus::completed: return "completed";
        case CommandStatus::canceled: return "canceled";
    }
    return "completed";
}

CommandStage CommandStage::done(std::string note, std::optional<DataForm> result) {
    CommandStage stage;
    stage.note = std::move(note);
    stage.form = std::move(result);
    return stage;
}

std::map<std::string, AdhocCommand> herald_commands(const CommandContext& context) {
    using Begin = CommandStage (*)(const CommandContext&, storage::Repositories&, const Actor&);
    using Submit = CommandStage (*)(const CommandContext&, storage::Repositories&, const Actor&, const DataForm&);
    auto command = [&context](std::string name, bool admin_only, Begin begin, Submit submit = nullptr) {
        AdhocCommand made{std::move(name), admin_only,
                          [context, begin](storage::Repositories& repos, const Actor& actor) {
                              return begin(context, repos, actor);
                          },
                          {}};
        if (submit)
            made.submit = [context, submit](storage::Repositories& repos, const Actor& actor, const DataForm& form) {
                return submit(context, repos, actor, form);
            };
        return made;
    };
    auto pause = [](const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
        return set_paused(c, repos, actor, true);
    };
    auto resume = [](const CommandContext& c, storage::Repositories& repos, const Actor& actor) {
        return set_paused(c, repos, actor, false);
    };
    std::map<std::string, AdhocCommand> commands{
        {"subscribe", command("Subscribe to a topic", false, subscribe_form, subscribe)},
        {"unsubscribe", command("Unsubscribe from topics", false, unsubscribe_form, unsubscribe)},
        {"subscriptions", command("List my subscriptions", false, list_subscriptions)},
        {"create-topic", command("Create a topic", false, create_topic_form, create_topic)},
        {"delete-topic", command("Delete a topic", false, delete_topic_form, delete_topic)},
        {"publishers", command("Allow or remove a publisher", false, publishers_form, set_publisher)},
        {"topic-settings", command("Topic settings", false, topic_settings_form, save_topic_settings)},
        {"preferences", command("Preferences", false, preferences_form_stage, save_preferences)},
        {"history", command("History", false, history_form, history)},
        {"acknowledge", command("Acknowledge a notification", false, acknowledge_form, acknowledge)},
        {"pause", command("Pause notifications", false, pause)},
        {"resume", command("Resume notifications", false, resume)},
        {"stats", command("Statistics", true, stats)},
        {"broadcast", command("Broadcast to every user", true, broadcast_form, broadcast)},
        {"remove-user", command("Remove a user", true, remove_user_form, remove_other_user)},
        {"add-feed", command("Add a feed", false, add_feed_form, add_feed)},
        {"remove-feed", command("Remove a feed", false, remove_feed_form, remove_feed)},
        {"unregister", command("Unregister", false, unregister_form, unregister)},
        // Movim lists XEP-0077's namespace as a command of its own.
        {"jabber:iq:register", command("Registration: unregister", false, unregister_form, unregister)},
    };
    if (context.config.http.enabled)
        commands.emplace("http-tokens", command("HTTP tokens", false, http_tokens_form, http_tokens));
    return commands;
}

}  // namespace herald::component
