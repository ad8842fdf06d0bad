// Many users online while herald restarts: a publish right after the new
// connection must reach every one of them live, which it does only if
// herald learned every user's presence again. ejabberd routes some answers
// to the new herald's first presence probes to the old connection while it
// still holds one; those users must be probed again.

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/herald_e2e_fixture.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kUsers = 300;
constexpr std::size_t kConnectBatch = 25;
// Longer than herald's probing again of users who did not answer, far
// shorter than anything a user reconnecting would take: they stay online.
constexpr auto kLiveDeadline = 30s;

class RestartPresenceE2E : public HeraldE2E {
protected:
    std::string log_level() const override { return "info"; }
    std::string extra_config() const override {
        return "limits:\n  requests_per_second: 100000\nhttp:\n  enabled: true\n  port: 0\n";
    }

    // u1..u<kUsers> logged in, registered with herald, its subscription
    // approved, and subscribed to alice's topic "all".
    void users_on_topic() {
        alice_ = online_user("alice");
        create_node(*alice_, "all");
        ejabberd_.register_many("u", kUsers, "secret");
        for (int i = 1; i <= kUsers; ++i)
            users_.push_back(ejabberd_.client("u" + std::to_string(i), "secret", "test"));
        for (std::size_t first = 0; first < users_.size(); first += kConnectBatch) {
            std::vector<std::future<bool>> connected;
            for (auto i = first; i < std::min(users_.size(), first + kConnectBatch); ++i)
                connected.push_back(
                    std::async(std::launch::async, [&user = *users_[i]] { return user.connect(kWait); }));
            for (auto& done : connected) ASSERT_TRUE(done.get());
        }
        for (auto& user : users_) {
            user->send("<presence/>");
            user->send("<iq type='set' id='register' to='" + component() +
                       "'><query xmlns='jabber:iq:register'/></iq>");
        }
        for (auto& user : users_) {
            ASSERT_TRUE(presence_from_herald(*user, "subscribe")) << user->bare_jid();
            user->send("<presence type='subscribed' to='" + component() + "'/>");
            user->send("<iq type='set' id='subscribe' to='" + component() +
                       "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='all' jid='" +
                       user->bare_jid() + "'/></pubsub></iq>");
        }
        for (auto& user : users_) {
            auto subscribed = user->wait_for(
                [](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == "subscribe"; }, kWait);
            ASSERT_TRUE(subscribed) << user->bare_jid();
            ASSERT_EQ(subscribed->type(), "result") << subscribed->xml();
        }
    }

    // Publishes `title` to "all" over HTTP, straight to herald (an IQ could
    // still be routed to an old connection), and returns how many users did
    // not get it within kLiveDeadline of the publish.
    int publish_and_count_missing(const std::string& title, const std::string& token) {
        const auto port = http_api_port();
        EXPECT_GT(port, 0) << herald_->log().tail();
        const auto posted = run_command({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                         "Authorization: Bearer " + token, "-H", "Content-Type: application/json",
                                         "--data", "{\"title\":\"" + title + "\"}",
                                         "http://127.0.0.1:" + std::to_string(port) + "/v1/nodes/all"},
                                        kWait);
        EXPECT_EQ(posted.output, "202") << herald_->log().tail();
        return count_missing(title);
    }

    int count_missing(const std::string& title) {
        const auto deadline = std::chrono::steady_clock::now() + kLiveDeadline;
        int missing = 0;
        for (auto& user : users_) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::max(deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero()));
            auto message = user->wait_for(
                [&](const ReceivedStanza& s) {
                    return s.name() == "message" && from_herald(s, component()) &&
                           s.text("notification/notification/title") == title;
                },
                left);
            if (message) send_receipt(*user, *message);
            else ++missing;
        }
        std::cout << title << ": " << missing << " of " << kUsers << " users online did not get it live" << std::endl;
        return missing;
    }

    static void copy_database(const std::filesystem::path& from, const std::filesystem::path& to) {
        for (const char* suffix : {"", "-wal"}) {
            const auto file = from.string() + suffix;
            if (std::filesystem::exists(file))
                std::filesystem::copy_file(file, to.string() + suffix,
                                           std::filesystem::copy_options::overwrite_existing);
        }
    }

    std::vector<std::unique_ptr<XmppTestClient>> users_;
};

// The old herald hangs (SIGSTOP) with its stream open, as a dying host's
// would stay until ejabberd notices; the new one connects and probes
// everyone while ejabberd splits the answers between the two connections;
// then the old one dies.
TEST_F(RestartPresenceE2E, UsersWhoseAnswersWentToTheOldConnectionAreProbedAgain) {
    users_on_topic();
    const auto token = make_token(*alice_, "all", "restart-test");
    ASSERT_EQ(publish_and_count_missing("before any restart", token), 0);

    int missing = 0;
    for (int restart = 1; restart <= 3; ++restart) {
        herald_->freeze();
        auto successor = std::make_unique<HeraldUnderTest>(
            ejabberd_, ejabberd_.dir() / ("herald-successor-" + std::to_string(restart)), log_level(),
            extra_config());
        // The hung herald keeps its database locked: the successor starts
        // from a copy, as one on another host would share PostgreSQL.
        copy_database(herald_->database_path(), successor->database_path());
        successor->start();
        ASSERT_TRUE(successor->wait_log("announced herald and probed presence of")) << successor->log().tail();
        herald_->kill_hard();
        herald_ = std::move(successor);
        missing += publish_and_count_missing(
            "after a hung herald's successor connected, number " + std::to_string(restart), token);
    }
    EXPECT_EQ(missing, 0) << "users online all along were treated as offline after a restart";
}

}  // namespace
