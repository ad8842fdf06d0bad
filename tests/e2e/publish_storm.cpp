#include "tests/e2e/publish_storm.h"

#include <sstream>

#include "tests/e2e/herald_e2e_fixture.h"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

// Herald answers every publish; this long without any answer means the
// ones outstanding were lost with a connection (herald killed, say).
constexpr auto kAnswerDeadline = 12s;
constexpr auto kPauseAfterRefusal = 100ms;
constexpr auto kPauseBetweenLogins = 200ms;

}  // namespace

PublishStorm::PublishStorm(const PrivateEjabberd& ejabberd, std::vector<std::string> users,
                           MakePublish make_publish, int window)
    : PublishStorm([&ejabberd](const std::string& user) { return ejabberd.client(user, "secret-" + user, "storm"); },
                   std::move(users), std::move(make_publish), window) {}

PublishStorm::PublishStorm(MakeClient make_client, std::vector<std::string> users, MakePublish make_publish,
                           int window)
    : make_client_(std::move(make_client)), make_publish_(std::move(make_publish)), window_(window) {
    for (auto& user : users) publishers_.emplace_back([this, user = std::move(user)] { run(user); });
}

PublishStorm::~PublishStorm() { stop(); }

void PublishStorm::stop() {
    stopping_ = true;
    changed_.notify_all();
    for (auto& publisher : publishers_)
        if (publisher.joinable()) publisher.join();
}

void PublishStorm::pause(std::chrono::milliseconds pause) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, pause, [this] { return stopping_.load(); });
}

void PublishStorm::run(const std::string& user) {
    auto client = make_client_(user);
    std::set<std::string> outstanding;  // ids
    int next = 0;
    const auto forget_outstanding = [&] {
        std::lock_guard lock(mutex_);
        unanswered_ += outstanding.size();
        outstanding.clear();
    };
    while (!stopping_ || !outstanding.empty()) {
        if (!client->connected()) {
            forget_outstanding();
            if (stopping_) break;
            if (!client->connect(5s)) pause(kPauseBetweenLogins);
            continue;
        }
        while (!stopping_ && static_cast<int>(outstanding.size()) < window_) {
            const auto id = user + "-" + std::to_string(next++);
            client->send(make_publish_(id, id));  // the title is the id
            outstanding.insert(id);
        }
        auto reply = client->wait_for(
            [&](const ReceivedStanza& s) { return s.name() == "iq" && outstanding.count(s.id()) > 0; },
            kAnswerDeadline);
        if (!reply) {
            if (client->connected()) forget_outstanding();  // else: counted at the top
            continue;
        }
        outstanding.erase(reply->id());
        const bool stored = reply->type() == "result";
        {
            std::lock_guard lock(mutex_);
            if (stored) {
                acknowledged_.insert(reply->id());
            } else {
                ++refused_;
                const auto error = reply->find("error");
                const auto condition = error_condition(*reply) + "/" + (error ? error->attr("type") : "");
                if (refusals_[condition]++ == 0) examples_[condition] = reply->xml();
            }
        }
        changed_.notify_all();
        if (!stored) pause(kPauseAfterRefusal);
    }
    client->disconnect();
}

bool PublishStorm::wait_acknowledged(std::size_t count, std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return acknowledged_.size() >= count; });
}

bool PublishStorm::wait_refused(std::size_t count, std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return refused_ >= count; });
}

std::set<std::string> PublishStorm::acknowledged() const {
    std::lock_guard lock(mutex_);
    return acknowledged_;
}

std::size_t PublishStorm::acknowledged_count() const {
    std::lock_guard lock(mutex_);
    return acknowledged_.size();
}

std::size_t PublishStorm::refused_count() const {
    std::lock_guard lock(mutex_);
    return refused_;
}

std::map<std::string, int> PublishStorm::refusals() const {
    std::lock_guard lock(mutex_);
    return refusals_;
}

std::size_t PublishStorm::unanswered() const {
    std::lock_guard lock(mutex_);
    return unanswered_;
}

std::string PublishStorm::summary() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    out << publishers_.size() << " publishers: " << acknowledged_.size() << " acknowledged, " << refused_
        << " refused";
    for (const auto& [condition, times] : refusals_) out << " (" << times << " " << condition << ")";
    out << ", " << unanswered_ << " unanswered";
    for (const auto& [condition, example] : examples_) out << "\n  e.g. " << example;
    return out.str();
}

DeliveryCount DeliveryCount::of(const std::set<std::string>& acknowledged, const std::map<std::string, int>& received) {
    DeliveryCount count;
    count.acknowledged = acknowledged.size();
    for (const auto& [title, times] : received) {
        count.duplicated += times - 1;
        if (acknowledged.count(title)) ++count.delivered;
        else ++count.unacknowledged_delivered;
    }
    count.lost = count.acknowledged - count.delivered;
    return count;
}

std::string DeliveryCount::describe(const std::string& fault) const {
    std::ostringstream out;
    out << fault << ": acknowledged " << acknowledged << ", delivered " << delivered << ", duplicated "
        << duplicated << ", lost " << lost << " (and " << unacknowledged_delivered
        << " stored whose acknowledgement never reached the publisher)";
    return out.str();
}

}  // namespace herald::testing
