#include <gtest/gtest.h>

#include "component/reconnect_backoff.h"

using herald::component::ReconnectBackoff;

using namespace std::chrono_literals;

namespace {

// The delay's upper bound after `failures` attempts: jitter draws in [base/2, base].
void expect_within(ReconnectBackoff& backoff, std::chrono::milliseconds base) {
    const auto delay = backoff.next_delay();
    EXPECT_GE(delay, base / 2 - 1ms);
    EXPECT_LE(delay, base);
}

}  // namespace

TEST(ReconnectBackoff, DoublesFromHalfASecondToThirtySeconds) {
    ReconnectBackoff backoff(0.5s, 30s);
    for (const auto base : {500ms, 1000ms, 2000ms, 4000ms, 8000ms, 16000ms, 30000ms, 30000ms})
        expect_within(backoff, base);
}

TEST(ReconnectBackoff, AStreamThatLivedStartsOver) {
    ReconnectBackoff backoff(0.5s, 30s, 30s);
    for (int i = 0; i < 5; ++i) backoff.next_delay();
    const auto now = ReconnectBackoff::Clock::now();
    backoff.connected(now);
    backoff.lost(now + 31s);
    expect_within(backoff, 500ms);
}

TEST(ReconnectBackoff, StreamsThatDieSoonAfterTheHandshakeKeepSlowingDown) {
    ReconnectBackoff backoff(0.5s, 30s, 30s);
    auto now = ReconnectBackoff::Clock::now();
    std::chrono::milliseconds base = 500ms;
    for (int round = 0; round < 8; ++round) {
        expect_within(backoff, base);
        backoff.connected(now);       // the handshake is accepted...
        backoff.lost(now + 2s);       // ...and the stream dies two seconds later
        now += 10s;
        base = std::min<std::chrono::milliseconds>(base * 2, 30s);
    }
}
