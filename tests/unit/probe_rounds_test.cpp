// Probing again the users who did not answer the probes sent at connection,
// against an outbox that records the probes.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "routing/probe_rounds.h"

using namespace herald::routing;
using namespace std::chrono_literals;

namespace {

struct ProbeRecorder : UserOutbox {
    std::vector<std::string> probed;
    bool full = false;
    void deliver(const Delivery&) override {}
    void ping(const std::string&, const std::string&) override {}
    void probe(const std::string& bare_jid) override { probed.push_back(bare_jid); }
    void notice(const std::string&, const std::string&, const std::string&) override {}
    bool backed_up() const override { return full; }

    long count(const std::string& user) const { return std::count(probed.begin(), probed.end(), user); }
};

class ProbeRoundsTest : public ::testing::Test {
protected:
    // Runs until no round is pending any more.
    void run() {
        io_.restart();
        io_.run();
    }

    boost::asio::io_context io_;
    ProbeRecorder outbox_;
    ProbeRounds rounds_{io_, outbox_, {.answer_window = 5ms, .extra_rounds = 2, .page_size = 2, .page_interval = 1ms}};
};

TEST_F(ProbeRoundsTest, OnlyWhoDidNotAnswerIsProbedAgain) {
    rounds_.probed({"a@x", "b@x", "c@x"});
    rounds_.answered("a@x");
    rounds_.answered("c@x");  // unavailable is an answer too
    rounds_.first_round_sent();
    io_.restart();
    while (outbox_.probed.empty() && io_.run_one_for(1s)) {
    }
    ASSERT_EQ(outbox_.probed, std::vector<std::string>{"b@x"});
    // b answers the probe sent again.
    rounds_.answered("b@x");
    run();
    EXPECT_EQ(outbox_.probed, std::vector<std::string>{"b@x"}) << "an answer ends the rounds";
    EXPECT_EQ(rounds_.unanswered(), 0u);
}

TEST_F(ProbeRoundsTest, NoOneIsProbedAgainWhenEveryoneAnswered) {
    rounds_.probed({"a@x", "b@x"});
    rounds_.answered("b@x");
    rounds_.answered("a@x");
    rounds_.first_round_sent();
    run();
    EXPECT_TRUE(outbox_.probed.empty());
}

TEST_F(ProbeRoundsTest, RoundsAreBoundedThenTheUserIsLeftAlone) {
    rounds_.probed({"silent@x"});
    rounds_.first_round_sent();
    run();
    EXPECT_EQ(outbox_.count("silent@x"), 2) << "probed again extra_rounds times, then given up";
    EXPECT_EQ(rounds_.unanswered(), 0u) << "nothing kept about users who never answered";
}

TEST_F(ProbeRoundsTest, ProbesAgainAPageAtATimeAndNotWhileTheOutboxIsBackedUp) {
    rounds_.probed({"a@x", "b@x", "c@x", "d@x", "e@x"});
    outbox_.full = true;
    rounds_.first_round_sent();
    io_.restart();
    // The window ends, then a page interval passes with the outbox full.
    for (int handlers = 0; handlers < 3 && io_.run_one_for(1s);) ++handlers;
    EXPECT_TRUE(outbox_.probed.empty());
    outbox_.full = false;
    while (outbox_.probed.empty() && io_.run_one_for(1s)) {
    }
    EXPECT_EQ(outbox_.probed.size(), 2u) << "one page";
    while (outbox_.probed.size() < 5 && io_.run_one_for(1s)) {
    }
    EXPECT_EQ(outbox_.probed.size(), 5u) << "then the next pages, one per interval";
}

TEST_F(ProbeRoundsTest, AConnectionLostEndsTheRounds) {
    rounds_.probed({"a@x"});
    rounds_.first_round_sent();
    rounds_.stop();
    run();
    EXPECT_TRUE(outbox_.probed.empty());
    EXPECT_EQ(rounds_.unanswered(), 0u);
}

TEST_F(ProbeRoundsTest, ANewConnectionForgetsWhoWasAwaitedOnTheOldOne) {
    rounds_.probed({"old@x"});
    rounds_.first_round_sent();
    rounds_.restart();
    rounds_.probed({"new@x"});
    rounds_.first_round_sent();
    run();
    EXPECT_EQ(outbox_.count("old@x"), 0);
    EXPECT_EQ(outbox_.count("new@x"), 2);
}

}  // namespace
