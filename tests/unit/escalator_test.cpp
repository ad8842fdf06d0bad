// The Escalator with real storage (a file database) and a recording agent:
// fair claiming across users, and a batch that is never sent twice.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "routing/escalator.h"
#include "storage/backend_factory.h"
#include "storage/storage_worker.h"
#include "tests/unit/queue_fixture.h"

using namespace herald;

namespace {

// Sends nothing; remembers each batch; answers "sent" unless told to hang
// (an agent call that the process does not survive).
struct RecordingAgent final : routing::EscalationAgent {
    std::vector<storage::EscalationBatch> batches;
    bool hang = false;
    void send(const storage::EscalationBatch& batch, Done done) override {
        batches.push_back(batch);
        if (!hang) done(routing::AgentOutcome::success());
    }
    bool sent_to(const std::string& user) const {
        for (const auto& batch : batches)
            if (batch.user == user) return true;
        return false;
    }
    bool sent_item(const std::string& item_id) const {
        for (const auto& batch : batches)
            for (const auto& item : batch.items)
                if (item.item_id == item_id) return true;
        return false;
    }
};

// Quiet hours around the current UTC hour.
storage::Preferences mail_with_quiet_hours_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    auto clock = [](int hour) {
        char text[16];
        std::snprintf(text, sizeof text, "%02d:00", (hour + 24) % 24);
        return std::string(text);
    };
    storage::Preferences quiet;
    quiet.escalation_channel = "mail";
    quiet.escalation_target = "q@example.org";
    quiet.quiet_start = clock(utc.tm_hour - 1);
    quiet.quiet_end = clock(utc.tm_hour + 2);
    quiet.quiet_zone = "UTC";
    return quiet;
}

struct EscalatorTest : ::testing::Test {
    // One folder per test: ctest runs them in parallel.
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                (std::string("herald-escalator-test-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::unique_ptr<boost::asio::io_context> io;
    // Storage completions arrive from another thread: keep the loop waiting for them.
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_running;
    routing::Metrics metrics;
    routing::EscalationSettings settings;
    RecordingAgent agent;
    std::unique_ptr<storage::StorageWorker> storage;
    routing::SharedWork shared_work;
    std::unique_ptr<routing::Escalator> escalator;

    void SetUp() override {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        settings.check_seconds = 1;
        settings.startup_grace_seconds = 0;
        settings.delay_unit_seconds = 0.001;
        start();
    }
    void TearDown() override {
        stop();
        std::filesystem::remove_all(dir);
    }

    void start() {
        io = std::make_unique<boost::asio::io_context>();
        keep_running.emplace(io->get_executor());
        storage = std::make_unique<storage::StorageWorker>(
            storage::open_backend({.path = (dir / "h.db").string()}), [this](std::function<void()> f) { boost::asio::post(*io, std::move(f)); });
        escalator = std::make_unique<routing::Escalator>(*io, *storage, metrics, settings,
                                                           routing::Escalator::Agents{{routing::EscalationChannel::mail, &agent}},
                                                           shared_work);
    }
    // As if the process ended: nothing more runs on the io thread.
    void stop() {
        if (escalator) escalator->stop();
        if (storage) storage->stop();
        escalator.reset();
        storage.reset();
        keep_running.reset();
        io.reset();  // what was posted and not run never runs
    }

    // Runs `work` on the storage thread and waits for its commit.
    void in_storage(std::function<void(storage::Repositories&)> work) {
        bool done = false;
        storage->submit(std::move(work), [&done](std::exception_ptr error) {
            done = true;
            try {
                if (error) std::rethrow_exception(error);
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
            }
        });
        ASSERT_TRUE(run_until([&] { return done; }));
    }
    bool run_until(const std::function<bool()>& condition) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!condition() && std::chrono::steady_clock::now() < deadline)
            io->run_one_for(std::chrono::milliseconds(50));
        return condition();
    }

    void subscriber(storage::Repositories& repos, const std::string& jid, const std::string& topic,
                    const storage::Preferences& preferences) {
        repos.users.upsert({jid, {}, 0});
        repos.users.save_preferences(jid, preferences);
        repos.nodes.create({topic, "p@x", "publishers", false, 0});
        repos.nodes.subscribe(topic, jid, 0);
        repos.escalations.mark_away(jid, 0);
    }
    static storage::Item item(const std::string& topic, const std::string& id) {
        auto item = storage::fixtures::make_item(id, 1);
        item.node = topic;
        return item;
    }
};

storage::Preferences mail_to(const std::string& address) {
    storage::Preferences mail;
    mail.escalation_channel = "mail";
    mail.escalation_target = address;
    return mail;
}

}  // namespace

TEST_F(EscalatorTest, ABacklogInQuietHoursDoesNotStarveTheUsersAfterIt) {
    in_storage([this](storage::Repositories& repos) {
        subscriber(repos, "q@x", "quiet-topic", mail_with_quiet_hours_now());
        subscriber(repos, "z@x", "other-topic", mail_to("z@example.org"));
        for (int i = 0; i < 1500; ++i) repos.queue.publish(item("quiet-topic", "held-" + std::to_string(i)));
        repos.queue.publish(item("other-topic", "for-z"));
    });
    escalator->on_connected();
    EXPECT_TRUE(run_until([this] { return agent.sent_to("z@x"); })) << "z@x waited behind q@x's quiet hours";
    EXPECT_FALSE(agent.sent_to("q@x")) << "q@x is in quiet hours";
}

TEST_F(EscalatorTest, ABatchWhoseOutcomeWasNeverRecordedIsNotSentAgain) {
    in_storage([this](storage::Repositories& repos) {
        subscriber(repos, "a@x", "topic", mail_to("a@example.org"));
        repos.queue.publish(item("topic", "before-the-crash"));
    });
    agent.hang = true;
    escalator->on_connected();
    ASSERT_TRUE(run_until([this] { return agent.sent_item("before-the-crash"); }));
    stop();  // herald dies while the mail is being sent

    agent = RecordingAgent{};
    start();
    in_storage([](storage::Repositories& repos) { repos.queue.publish(item("topic", "after-the-restart")); });
    escalator->on_connected();
    ASSERT_TRUE(run_until([this] { return agent.sent_item("after-the-restart"); }));
    EXPECT_FALSE(agent.sent_item("before-the-crash")) << "its outcome is unknown: at most once, not twice";
}
