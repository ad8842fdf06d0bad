#include "routing/acknowledgements.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "routing/delivery.h"
#include "routing/notification_text.h"
#include "routing/router.h"
#include "text/clock.h"
#include "text/jid.h"
#include "text/safe_text.h"
#include "text/words.h"

namespace herald::routing {

using herald::text::bare_jid;
using herald::text::is_user_jid;
using herald::text::kMaxCommandBytes;
using herald::text::kMaxQuotedBytes;
using herald::text::lower;
using herald::text::now_ms;
using herald::text::split_words;
using herald::text::trim;
using herald::text::utc_minute;

namespace {

constexpr std::size_t kMinIdPrefix = 4;
constexpr int kQuoteCandidates = 50;
constexpr int kRemindersPerRound = 500;
constexpr std::string_view kThumbsUp = "\xF0\x9F\x91\x8D";    // U+1F44D
constexpr std::string_view kCheckMark = "\xE2\x9C\x85";       // U+2705
constexpr std::string_view kVariationSelector = "\xEF\xB8\x8F";  // U+FE0F
constexpr std::string_view kSkinTonePrefix = "\xF0\x9F\x8F";     // U+1F3FB..U+1F3FF: F0 9F 8F BB..BF
constexpr unsigned char kFirstSkinTone = 0xBB;
constexpr unsigned char kLastSkinTone = 0xBF;
// "OK!", "Ack.", "👍🏽" -> "ok", "ack", "👍".
std::string normalized_word(std::string_view text) {
    auto word = lower(text);
    while (!word.empty() && (word.back() == '!' || word.back() == '.')) word.pop_back();
    for (std::size_t at; (at = word.find(kVariationSelector)) != std::string::npos;)
        word.erase(at, kVariationSelector.size());
    if (word.size() == kThumbsUp.size() + 4 && word.starts_with(kThumbsUp) &&
        std::string_view(word).substr(kThumbsUp.size()).starts_with(kSkinTonePrefix) &&
        static_cast<unsigned char>(word.back()) >= kFirstSkinTone && static_cast<unsigned char>(word.back()) <= kLastSkinTone)
        word.resize(kThumbsUp.size());
    return word;
}

bool is_ack_word(std::string_view word) {
    static constexpr std::array<std::string_view, 6> kWords = {"ack", "ok", "acknowledge", "acknowledged",
                                                               kThumbsUp, kCheckMark};
    return std::find(kWords.begin(), kWords.end(), normalized_word(word)) != kWords.end();
}

struct SplitBody {
    std::string first_quote;  // the first quoted line, without "> "
    std::string text;         // what is not quoted
};

SplitBody split_quote(const std::string& body) {
    SplitBody split;
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        const auto line = trim(std::string_view(body).substr(start, end - start));
        if (line.starts_with('>')) {
            if (split.first_quote.empty()) split.first_quote = trim(line.substr(1));
        } else if (!line.empty()) {
            split.text += (split.text.empty() ? "" : " ") + std::string(line);
        }
        start = end + 1;
    }
    return split;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::optional<AckRequest> read_ack_request(const AckMessage& message) {
    const auto& type = message.type;
    if (!type.empty() && type != "chat" && type != "normal") return std::nullopt;
    if (const auto& reactions = message.reactions) {
        for (const auto& emoji : reactions->emojis)
            if (is_ack_word(trim(emoji))) return AckRequest{AckRequest::Target::message, reactions->id, true};
        return std::nullopt;
    }
    const auto& body = message.body;
    if (!body || body->size() > kMaxCommandBytes) return std::nullopt;
    const auto split = split_quote(*body);
    const auto words = split_words(split.text);
    if (words.empty() || words.size() > 2 || !is_ack_word(words[0])) return std::nullopt;
    if (words.size() == 2) {
        const auto word = normalized_word(words[0]);
        if (word != "ack" && word != "acknowledge") return std::nullopt;
        return AckRequest{AckRequest::Target::id_prefix, words[1]};
    }
    if (message.reply_to) return AckRequest{AckRequest::Target::message, *message.reply_to};
    if (!split.first_quote.empty()) return AckRequest{AckRequest::Target::quote, split.first_quote};
    return AckRequest{};
}

namespace {

// The item `request` names among the user's; when none, why in `result.kind`.
std::optional<storage::QueuedItem> named_item(storage::Repositories& repos, const std::string& user,
                                              const AckRequest& request, AckResult& result) {
    using Kind = AckResult::Kind;
    using Target = AckRequest::Target;
    switch (request.target) {
    case Target::latest: {
        if (auto seen = repos.acks.last_seen(user)) return seen;
        auto waiting = repos.acks.waiting(user, 1);
        if (!waiting.empty()) return std::move(waiting.front());
        result.kind = Kind::nothing_waiting;
        return std::nullopt;
    }
    case Target::id_prefix:
        result.matches = repos.acks.waiting_with_prefix(user, request.argument, 2);
        if (result.matches.size() == 1) return result.matches.front();
        result.kind = result.matches.empty() ? Kind::no_match : Kind::ambiguous;
        return std::nullopt;
    case Target::quote:
        for (auto& waiting : repos.acks.waiting(user, kQuoteCandidates))
            if (first_line(notification_body(waiting.item, false)).starts_with(request.argument)) return waiting;
        result.kind = Kind::unresolved;
        return std::nullopt;
    case Target::message:
        if (const auto seq = seq_of_message_id(request.argument))
            if (auto received = repos.acks.received(user, *seq)) return received;
        // A reaction to anything else gets no answer; a reply is asked which.
        result.kind = request.reaction ? Kind::nothing_waiting : Kind::unresolved;
        return std::nullopt;
    case Target::item: {
        const auto& text = request.argument;
        std::int64_t seq = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seq);
        if (error == std::errc() && end == text.data() + text.size())
            if (auto received = repos.acks.received(user, seq)) return received;
        result.kind = Kind::not_theirs;
        return std::nullopt;
    }
    }
    return std::nullopt;
}

}  // namespace

AckResult acknowledge_in_storage(storage::Repositories& repos, const std::string& user, const AckRequest& request) {
    AckResult result;
    const auto target = named_item(repos, user, request, result);
    if (!target) return result;
    if (!target->item.ack_required.value_or(false)) {
        result.kind = AckResult::Kind::not_needed;
        return result;
    }
    result.ack = repos.acks.acknowledge(target->seq, user, now_ms());
    result.kind = result.ack.first ? AckResult::Kind::acknowledged : AckResult::Kind::already;
    if (result.ack.first) result.status = repos.acks.status(result.ack.item.node, result.ack.item.item_id);
    return result;
}

std::string ack_answer(const AckResult& result, const AckRequest& request, const std::string& user) {
    using Kind = AckResult::Kind;
    const auto& item = result.ack.item;
    switch (result.kind) {
    case Kind::acknowledged:
        return "Acknowledged: " + notification_text(item);
    case Kind::already:
        return (item.acknowledged_by == user ? std::string("You acknowledged it")
                                             : "Already acknowledged by " + item.acknowledged_by.value_or("")) +
               " at " + utc_minute(item.acknowledged_ms.value_or(0)) + " UTC: " + notification_text(item);
    case Kind::nothing_waiting:
        return request.reaction ? "" : "Nothing waits for your acknowledgement.";
    case Kind::not_needed:
        return request.reaction ? "" : "That notification needs no acknowledgement.";
    case Kind::not_theirs:
        return "That is none of your notifications.";
    case Kind::unresolved:
        return "Which notification? Send ack and the start of its id, which its last line shows.";
    case Kind::no_match:
        return "None of your notifications waiting for acknowledgement has an id starting with '" +
               text::shortened(request.argument, kMaxQuotedBytes) + "'.";
    case Kind::ambiguous: {
        std::string answer = "'" + text::shortened(request.argument, kMaxQuotedBytes) + "' matches several; give more of the id:";
        for (const auto& match : result.matches) answer += "\n" + match.item.item_id + " " + notification_text(match.item);
        return answer;
    }
    }
    return {};
}

std::string item_status_json(const storage::ItemStatus& status) {
    const auto& item = status.item;
    nlohmann::json json{{"id", text::clean(item.item_id)},
                        {"node", text::clean(item.node)},
                        {"title", text::clean(item.title)},
                        {"published_ms", item.published_ms},
                        {"delivered", status.delivered},
                        {"queued", status.queued},
                        {"ack_required", item.ack_required.value_or(false)},
                        {"acknowledged_by", nullptr},
                        {"acknowledged_ms", nullptr}};
    if (item.acknowledged_by) json["acknowledged_by"] = text::clean(*item.acknowledged_by);
    if (item.acknowledged_ms) json["acknowledged_ms"] = *item.acknowledged_ms;
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Acknowledgements::Acknowledgements(boost::asio::io_context& io, storage::StorageWorker& storage, UserNotices& notices,
                                   Router& router, AckCallbacks& callbacks, Metrics& metrics, const DeliverySettings& delivery,
                                   const SharedWork& shared_work)
    : io_(io),
      storage_(storage),
      notices_(notices),
      router_(router),
      callbacks_(callbacks),
      metrics_(metrics),
      delivery_(delivery),
      shared_work_(shared_work),
      reminder_timer_(io) {}

bool Acknowledgements::on_request(const std::string& from, const AckRequest& request) {
    if (!is_user_jid(from)) return false;
    acknowledge(from, request, [this, from](std::string text) {
        if (!text.empty()) notices_.say(from, text);
    });
    return true;
}

void Acknowledgements::acknowledge(const std::string& from, const AckRequest& request,
                                   std::function<void(std::string)> done) {
    if (request.target == AckRequest::Target::id_prefix && request.argument.size() < kMinIdPrefix)
        return done("Give at least " + std::to_string(kMinIdPrefix) + " characters of the id, e.g. ack " +
                    request.argument + "...");
    const auto user = bare_jid(from);
    storage_.submit<AckResult>(
        [user, request](storage::Repositories& repos) { return acknowledge_in_storage(repos, user, request); },
        [this, user, request, done = std::move(done)](std::optional<AckResult> result, std::exception_ptr error) {
            if (error) {
                spdlog::error("acknowledgement by {} could not be stored", user);
                return done("Herald could not record that just now; please try again.");
            }
            if (result->kind == AckResult::Kind::acknowledged) settled(user, *result);
            done(ack_answer(*result, request, user));
        });
}

void Acknowledgements::settled(const std::string& by, const AckResult& result) {
    const auto& item = result.ack.item;
    metrics_.acknowledged(item.acknowledged_ms.value_or(now_ms()) - item.published_ms);
    spdlog::info("{} acknowledged item {} of '{}'", by, item.item_id, item.node);
    using Audience = UserNotices::AckAudience;
    for (const auto& user : result.ack.to_tell) notices_.acknowledged(user, item, Audience::recipient);
    for (const auto& user : result.ack.on_the_way)
        if (router_.in_flight(user, result.ack.seq)) notices_.acknowledged(user, item, Audience::recipient);
    if (item.ack_reply_to) notices_.acknowledged(*item.ack_reply_to, item, Audience::publisher);
    if (item.ack_callback && result.status)
        callbacks_.post_signed(*item.ack_callback, item.callback_key.value_or(""), item_status_json(*result.status),
                               [](AgentOutcome outcome) {
                                   if (!outcome.sent) spdlog::warn("acknowledgement callback failed: {}", outcome.error);
                               });
}

void Acknowledgements::start() {
    reminder_timer_.resume();
    schedule_reminders();
}

void Acknowledgements::stop() {
    reminder_timer_.stop();
}

void Acknowledgements::schedule_reminders() {
    reminder_timer_.run_after(std::chrono::seconds(delivery_.expiry_check_seconds), [this] {
        schedule_reminders();
        // Still with storage, or another instance's to do.
        if (reminding_ || !shared_work_.ours()) return;
        reminding_ = true;
        storage_.submit<std::vector<std::string>>(
            [](storage::Repositories& repos) { return repos.acks.queue_reminders(now_ms(), kRemindersPerRound); },
            [this](std::optional<std::vector<std::string>> users, std::exception_ptr error) {
                reminding_ = false;
                if (error) return spdlog::error("cannot queue acknowledgement reminders");
                if (!users->empty()) spdlog::info("reminders queued for {} users", users->size());
                router_.requeued(*users);
            });
    });
}

}  // namespace herald::routing
