// The router against a real storage worker (a SQLite file in a temporary
// directory) and a sender that records what would go to ejabberd.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <unistd.h>
#include <set>
#include <vector>

#include "agents/xmpp_notification_channel.h"
#include "component/config.h"
#include "component/delivery_responder.h"
#include "routing/metrics.h"
#include "routing/pubsub_service.h"
#include "routing/router.h"
#include "storage/backend_factory.h"
#include "storage/storage_worker.h"
#include "tests/unit/queue_fixture.h"

using namespace herald::component;
using namespace herald::routing;
namespace storage = herald::storage;
using namespace std::chrono_literals;

namespace {

struct RecordingSender : StanzaSender {
    std::vector<XmlElement> sent;
    bool full = false;
    void send(const XmlElement& stanza) override { sent.push_back(stanza); }
    bool backed_up() const override { return full; }

    std::vector<std::string> titles_sent_since(std::size_t first) const {
        std::vector<std::string> titles;
        for (std::size_t i = first; i < sent.size(); ++i)
            if (const auto* notification = sent[i].child("notification", "urn:herald:0"))
                titles.push_back(notification->attr("item"));
        return titles;
    }
};

Config router_config() {
    Config config;
    config.component.jid = "notify.x";
    return config;
}

// A directory of its own for the test's database, removed afterwards.
struct TemporaryDirectory {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("herald-router-test-" + std::to_string(::getpid()) + "-" +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    TemporaryDirectory() { std::filesystem::create_directories(path); }
    ~TemporaryDirectory() { std::filesystem::remove_all(path); }
};

class RouterTest : public ::testing::Test {
protected:
    RouterTest() {
        in_storage<bool>([](storage::Repositories& repos) {
            repos.users.upsert({"a@x", {}, 0});
            repos.nodes.create({"topic", "p@x", "publishers", false, 0});
            repos.nodes.subscribe("topic", "a@x", 0);
            return true;
        });
    }
    ~RouterTest() override {
        router_.stop();
        storage_.stop();
        io_.poll();
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds deadline = 5s) {
        const auto end = std::chrono::steady_clock::now() + deadline;
        while (!done() && std::chrono::steady_clock::now() < end) io_.run_for(5ms);
        return done();
    }

    template <class Result>
    Result in_storage(std::function<Result(storage::Repositories&)> work) {
        std::optional<Result> result;
        bool finished = false;
        storage_.submit<Result>(std::move(work), [&](std::optional<Result> value, std::exception_ptr error) {
            if (error) std::rethrow_exception(error);
            result = std::move(value);
            finished = true;
        });
        EXPECT_TRUE(run_until([&] { return finished; }));
        return *result;
    }

    void publish(const std::string& id) {
        in_storage<storage::FanOut>(
            [id](storage::Repositories& repos) { return repos.queue.publish(storage::fixtures::make_item(id, 1)); });
    }

    void come_online() { router_.on_presence("a@x", {"phone", ResourcePresence{Availability::available, 0}}); }

    // The user comes online and the router sends; returns the items sent.
    // The server then closes the stream over what herald wrote (`blamed`) or
    // for a reason of its own (a restart).
    std::vector<std::string> deliveries_until_stream_dies(std::size_t expected, bool blamed = true) {
        const auto first = sender_.sent.size();
        come_online();
        run_until([&] { return sender_.titles_sent_since(first).size() >= expected; });
        io_.run_for(50ms);  // anything more it would send at once
        auto sent = sender_.titles_sent_since(first);
        if (blamed) router_.blame_deliveries_in_flight();
        router_.forget_all_presence();
        return sent;
    }

    TemporaryDirectory dir_;
    boost::asio::io_context io_;
    storage::StorageWorker storage_{storage::open_backend({.path = (dir_.path / "herald.db").string()}),
                                    [this](std::function<void()> done) { boost::asio::post(io_, std::move(done)); }};
    RecordingSender sender_;
    Config config_ = router_config();
    herald::agents::XmppNotificationChannel channel_{sender_, config_.component.jid};
    Metrics metrics_;
    Router router_{io_, storage_, channel_, config_.delivery, metrics_};
};

TEST_F(RouterTest, AnItemInFlightAtThreeLossesInARowIsSetAsideAndDeliveryGoesOn) {
    publish("poison");
    publish("innocent");
    // Both went out together when the stream died the first time.
    EXPECT_EQ(deliveries_until_stream_dies(2), (std::vector<std::string>{"poison", "innocent"}));
    // Suspects then go alone: the second and third losses are laid at the
    // poison item's door only.
    EXPECT_EQ(deliveries_until_stream_dies(1), std::vector<std::string>{"poison"});
    EXPECT_EQ(deliveries_until_stream_dies(1), std::vector<std::string>{"poison"});

    ASSERT_TRUE(run_until([&] {
        return in_storage<std::int64_t>([](storage::Repositories& repos) { return repos.queue.queued_count("a@x"); }) == 1;
    })) << "the poison item leaves the queue";
    const auto history = in_storage<std::vector<storage::HistoryEntry>>(
        [](storage::Repositories& repos) { return repos.queue.history("a@x", 10); });
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].item.item_id, "poison");
    EXPECT_EQ(history[0].outcome, "not deliverable");
    EXPECT_NE(metrics_.render({}, 0).find("herald_undeliverable_total 1\n"), std::string::npos);

    // The innocent one was in flight at one loss only: it goes out again.
    const auto first = sender_.sent.size();
    come_online();
    ASSERT_TRUE(run_until([&] { return !sender_.titles_sent_since(first).empty(); }));
    EXPECT_EQ(sender_.titles_sent_since(first), std::vector<std::string>{"innocent"});
}

TEST_F(RouterTest, StreamsLostForOtherReasonsSetNothingAside) {
    publish("one");
    publish("two");
    for (int loss = 0; loss < 4; ++loss)
        EXPECT_EQ(deliveries_until_stream_dies(2, false), (std::vector<std::string>{"one", "two"}))
            << "not suspects: they go out together again";
    EXPECT_EQ(in_storage<std::int64_t>([](storage::Repositories& repos) { return repos.queue.queued_count("a@x"); }), 2);
    EXPECT_EQ(metrics_.render({}, 0).find("herald_undeliverable_total 1"), std::string::npos);
}

// One suspect in flight across all users: two users' suspects never go out
// together, so one loss cannot be laid at both doors.
TEST_F(RouterTest, SuspectsOfDifferentUsersGoOneAtATime) {
    in_storage<bool>([](storage::Repositories& repos) {
        repos.users.upsert({"b@x", {}, 0});
        repos.nodes.subscribe("topic", "b@x", 0);
        return true;
    });
    publish("shared");
    const auto online = [&](const char* jid) {
        router_.on_presence(jid, {"phone", ResourcePresence{Availability::available, 0}});
    };
    const auto sent_to = [&](std::size_t first) {
        std::set<std::string> users;
        for (std::size_t i = first; i < sender_.sent.size(); ++i)
            if (sender_.sent[i].child("notification", "urn:herald:0")) users.insert(sender_.sent[i].attr("to"));
        return users;
    };
    auto first = sender_.sent.size();
    online("a@x");
    online("b@x");
    ASSERT_TRUE(run_until([&] { return sent_to(first).size() == 2; }));
    router_.blame_deliveries_in_flight();
    router_.forget_all_presence();

    first = sender_.sent.size();
    online("a@x");
    online("b@x");
    ASSERT_TRUE(run_until([&] { return !sent_to(first).empty(); }));
    io_.run_for(50ms);
    const auto alone = sent_to(first);
    ASSERT_EQ(alone.size(), 1u) << "both suspects went out together";
    // Its ping answered: the other user's suspect goes next.
    for (std::size_t i = first; i < sender_.sent.size(); ++i)
        if (sender_.sent[i].name() == "iq") {
            router_.ping_answered(sender_.sent[i].attr("to"), sender_.sent[i].attr("id"));
        }
    ASSERT_TRUE(run_until([&] { return sent_to(first).size() == 2; })) << "the second suspect never went";
}

TEST_F(RouterTest, AConfirmedItemIsNoLongerASuspect) {
    publish("one");
    EXPECT_EQ(deliveries_until_stream_dies(1), std::vector<std::string>{"one"});
    EXPECT_EQ(deliveries_until_stream_dies(1), std::vector<std::string>{"one"});
    // Third time it is confirmed (the ping answered) before any loss.
    const auto first = sender_.sent.size();
    come_online();
    ASSERT_TRUE(run_until([&] {
        for (std::size_t i = first; i < sender_.sent.size(); ++i)
            if (sender_.sent[i].name() == "iq") return true;
        return false;
    }));
    for (std::size_t i = first; i < sender_.sent.size(); ++i)
        if (sender_.sent[i].name() == "iq") {
            router_.ping_answered("a@x/phone", sender_.sent[i].attr("id"));
        }
    ASSERT_TRUE(run_until([&] {
        return in_storage<std::int64_t>([](storage::Repositories& repos) { return repos.queue.queued_count("a@x"); }) == 0;
    }));
    const auto history = in_storage<std::vector<storage::HistoryEntry>>(
        [](storage::Repositories& repos) { return repos.queue.history("a@x", 10); });
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].outcome, "delivered");
}

}  // namespace

// A link that cannot write (a half-open TCP connection) must not make the
// router pull the whole queue into memory: nothing more is read until the
// outbox drains, and nothing is lost meanwhile.
TEST_F(RouterTest, ABackedUpOutboxStopsReadingTheQueueUntilItDrains) {
    publish("before");
    sender_.full = true;
    const auto first = sender_.sent.size();
    come_online();
    io_.run_for(100ms);  // what the router would read and send at once
    EXPECT_TRUE(sender_.titles_sent_since(first).empty());

    const auto item = storage::fixtures::make_item("while-full", 1);
    const auto fan_out = in_storage<storage::FanOut>([item](storage::Repositories& repos) { return repos.queue.publish(item); });
    router_.on_published({item.item_id, fan_out.users, storage::QueuedItem{fan_out.seq, item}});
    io_.run_for(50ms);
    EXPECT_TRUE(sender_.titles_sent_since(first).empty());
    EXPECT_EQ(in_storage<std::int64_t>([](storage::Repositories& repos) { return repos.queue.queued_count("a@x"); }), 2)
        << "still queued";

    sender_.full = false;
    router_.on_outbox_drained();
    ASSERT_TRUE(run_until([&] { return sender_.titles_sent_since(first).size() == 2; }))
        << "deliveries resume once the outbox drained";
    EXPECT_EQ(sender_.titles_sent_since(first), (std::vector<std::string>{"before", "while-full"}));
}

// Herald's added latency is timed for a just-published item handed straight
// to a user online and caught up, not for what is read back from the queue.
TEST_F(RouterTest, OnlyItemsHandedOverLiveAreTimedFromTheirPublish) {
    publish("queued");
    const auto first = sender_.sent.size();
    come_online();
    ASSERT_TRUE(run_until([&] { return sender_.titles_sent_since(first).size() == 1; }));
    EXPECT_NE(metrics_.render({}, 0).find("herald_publish_to_send_seconds_count 0\n"), std::string::npos);

    const auto item = storage::fixtures::make_item("live", 1);
    const auto fan_out = in_storage<storage::FanOut>([item](storage::Repositories& repos) { return repos.queue.publish(item); });
    router_.on_published({item.item_id, fan_out.users, storage::QueuedItem{fan_out.seq, item}},
                         std::chrono::steady_clock::now());
    EXPECT_EQ(sender_.titles_sent_since(first), (std::vector<std::string>{"queued", "live"}));
    EXPECT_NE(metrics_.render({}, 0).find("herald_publish_to_send_seconds_count 1\n"), std::string::npos);
}

// The edge reads each answer once: what is about a delivery is not read as a
// command, except a reply, whose text still is.
TEST_F(RouterTest, TheEdgeTellsAnswersAboutDeliveriesFromCommands) {
    DeliveryResponder deliveries{router_};
    const auto message = [](const char* type, const char* child, const char* xmlns) {
        XmlElement stanza("message");
        stanza.set_attr("from", "a@x/phone").set_attr("id", "m1");
        if (*type) stanza.set_attr("type", type);
        if (*child) stanza.add_child(child, xmlns).set_attr("id", "herald-n1-1");
        return stanza;
    };
    EXPECT_TRUE(deliveries.on_message(message("", "received", "urn:xmpp:receipts")));
    EXPECT_TRUE(deliveries.on_message(message("error", "", "")));
    EXPECT_TRUE(deliveries.on_message(message("chat", "reactions", "urn:xmpp:reactions:0")));
    EXPECT_FALSE(deliveries.on_message(message("chat", "reply", "urn:xmpp:reply:0")));
    EXPECT_FALSE(deliveries.on_message(message("chat", "", "")));
}

TEST_F(RouterTest, APingResultReadAtTheEdgeConfirmsWhatWentBeforeIt) {
    publish("one");
    const auto first = sender_.sent.size();
    come_online();
    const auto ping_sent = [&]() -> const XmlElement* {
        for (std::size_t i = first; i < sender_.sent.size(); ++i)
            if (sender_.sent[i].name() == "iq") return &sender_.sent[i];
        return nullptr;
    };
    ASSERT_TRUE(run_until([&] { return ping_sent() != nullptr; }));
    XmlElement result("iq");
    result.set_attr("type", "result").set_attr("from", ping_sent()->attr("to")).set_attr("id", ping_sent()->attr("id"));
    DeliveryResponder{router_}.on_iq_response(result);
    EXPECT_TRUE(run_until([&] {
        return in_storage<std::int64_t>([](storage::Repositories& repos) { return repos.queue.queued_count("a@x"); }) == 0;
    }));
}
