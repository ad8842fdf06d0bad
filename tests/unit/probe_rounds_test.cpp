// Probing again the registered users who did not answer the probes sent at
// connection: users in a SQLite :memory: database, an outbox that records
// the probes.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "routing/probe_rounds.h"
#include "storage/backend_factory.h"
#include "storage/storage_worker.h"

using namespace herald::routing;
namespace storage = herald::storage;
using namespace std::chrono_literals;

namespace {

struct ProbeRecorder : UserOutbox {
    std::vector<std::string> probed;
    bool full = false;
    mutable int backed_up_asked = 0;
    void deliver(const Delivery&) override {}
    void ping(const std::string&, const std::string&) override {}
    void probe(const std::string& bare_jid) override { probed.push_back(bare_jid); }
    void notice(const std::string&, const std::string&, const std::string&) override {}
    bool backed_up() const override {
        ++backed_up_asked;
        return full;
    }

    long count(const std::string& user) const { return std::count(probed.begin(), probed.end(), user); }
};

class ProbeRoundsTest : public ::testing::Test {
protected:
    ProbeRoundsTest() {
        bool registered = false;
        storage_.submit(
            [](storage::Repositories& repos) {
                for (const char* user : {"a@x", "b@x", "c@x", "d@x", "e@x"}) repos.users.upsert({user, {}, 0});
            },
            [&](std::exception_ptr) { registered = true; });
        run_until([&] { return registered; });
    }
    ~ProbeRoundsTest() override {
        rounds_.stop();
        storage_.stop();
        io_.restart();
        io_.poll();
    }

    // A new connection whose first round probed everyone; `answering` answer it.
    void connected(std::initializer_list<const char*> answering) {
        rounds_.restart();
        for (const char* user : answering) rounds_.answered(user);
        rounds_.first_round_sent();
    }

    // Runs handlers (storage completions come from another thread) until
    // `done`, for 5 s at most.
    void run_until(const std::function<bool()>& done) {
        io_.restart();
        auto work = boost::asio::make_work_guard(io_);
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(5ms);
    }

    void run_to_the_end() {
        run_until([&] { return !rounds_.active(); });
        EXPECT_FALSE(rounds_.active());
    }

    boost::asio::io_context io_;
    storage::StorageWorker storage_{storage::open_backend({.path = ":memory:"}),
                                    [this](std::function<void()> done) { boost::asio::post(io_, std::move(done)); }};
    ProbeRecorder outbox_;
    ProbeRounds rounds_{io_, storage_, outbox_,
                        {.answer_window = 5ms, .extra_rounds = 3, .page_size = 2, .backed_up_retry = 1ms}};
};

TEST_F(ProbeRoundsTest, OnlyWhoDidNotAnswerIsProbedAgain) {
    connected({"a@x", "c@x", "d@x", "e@x"});  // an unavailable presence is an answer too
    run_until([&] { return !outbox_.probed.empty(); });
    EXPECT_EQ(outbox_.probed, std::vector<std::string>{"b@x"});
}

TEST_F(ProbeRoundsTest, AnotherRoundOnlyWhileRoundsBringAnswers) {
    connected({"a@x", "c@x"});
    run_until([&] { return outbox_.probed.size() == 3; });
    EXPECT_EQ(outbox_.probed, (std::vector<std::string>{"b@x", "d@x", "e@x"}));
    rounds_.answered("b@x");  // its answer had gone to the old connection
    run_to_the_end();
    EXPECT_EQ(outbox_.count("b@x"), 1);
    EXPECT_EQ(outbox_.count("d@x"), 2) << "probed again after a round that brought an answer";
    EXPECT_EQ(outbox_.probed.size(), 5u) << "then a round without answers ends them";
}

TEST_F(ProbeRoundsTest, RoundsAreBounded) {
    connected({});
    for (int round = 1; round <= 3; ++round) {
        run_until([&] { return outbox_.count("e@x") == round; });
        rounds_.answered("x" + std::to_string(round) + "@x");  // someone answers each time
    }
    run_to_the_end();
    EXPECT_EQ(outbox_.count("a@x"), 3) << "extra_rounds, then no more";
}

TEST_F(ProbeRoundsTest, NothingIsProbedAgainWhileTheOutboxIsBackedUp) {
    outbox_.full = true;
    connected({});
    run_until([&] { return outbox_.backed_up_asked >= 5; });  // the window, then retries of the first page
    ASSERT_GE(outbox_.backed_up_asked, 5);
    EXPECT_TRUE(outbox_.probed.empty());
    outbox_.full = false;
    run_until([&] { return outbox_.probed.size() == 5; });
    EXPECT_EQ(outbox_.probed.size(), 5u);
}

TEST_F(ProbeRoundsTest, ALostConnectionEndsTheRounds) {
    connected({});
    rounds_.stop();
    // Past the answer window (5 ms) many times over: a round would have begun.
    const auto until = std::chrono::steady_clock::now() + 100ms;
    run_until([&] { return std::chrono::steady_clock::now() >= until; });
    EXPECT_FALSE(rounds_.active());
    EXPECT_TRUE(outbox_.probed.empty());
}

TEST_F(ProbeRoundsTest, AnOutboxBackedUpTooLongEndsTheRounds) {
    ProbeRounds impatient{io_, storage_, outbox_,
                          {.answer_window = 1ms, .extra_rounds = 3, .page_size = 2, .backed_up_retry = 1ms,
                           .backed_up_limit = 20ms}};
    outbox_.full = true;
    impatient.restart();
    impatient.first_round_sent();
    run_until([&] { return !impatient.active(); });
    EXPECT_FALSE(impatient.active());
    EXPECT_GE(outbox_.backed_up_asked, 2);
    EXPECT_TRUE(outbox_.probed.empty());
}

TEST_F(ProbeRoundsTest, ANewConnectionForgetsTheAnswersOfTheOldOne) {
    connected({"a@x", "b@x", "c@x", "d@x"});
    connected({"e@x"});
    run_to_the_end();
    EXPECT_EQ(outbox_.probed, (std::vector<std::string>{"a@x", "b@x", "c@x", "d@x"}))
        << "e@x answered this connection; a round of the old one would have probed it";
}

}  // namespace
