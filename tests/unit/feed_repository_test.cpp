#include <gtest/gtest.h>

#include "tests/unit/backend_fixture.h"

namespace herald::storage {
namespace {

struct FeedRepositoryTest : fixtures::BackendTest {
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        nodes.create({"feed/abc", "notify.localhost", "publishers", false, 0});
        ASSERT_TRUE(feeds.add({.node = "feed/abc", .url = "https://example.org/feed", .interval_seconds = 900}, 1));
    }
};

TEST_P(FeedRepositoryTest, AddsFindsAndRecordsPolls) {
    EXPECT_FALSE(feeds.add({.node = "feed/abc", .url = "https://example.org/other", .interval_seconds = 60}, 2)) << "one feed per node";
    auto feed = feeds.find_by_url("https://example.org/feed");
    ASSERT_TRUE(feed);
    EXPECT_EQ(feed->node, "feed/abc");
    EXPECT_FALSE(feed->primed);
    EXPECT_EQ(feeds.record_failure("feed/abc", "timeout"), 1);
    EXPECT_EQ(feeds.record_failure("feed/abc", "timeout again"), 2);
    EXPECT_EQ(feeds.find("feed/abc")->last_error, "timeout again");
    feeds.record_success("feed/abc", "Example", std::string("\"v1\""), std::nullopt);
    feed = feeds.find("feed/abc");
    EXPECT_TRUE(feed->primed);
    EXPECT_EQ(feed->failures, 0);
    EXPECT_EQ(feed->title, "Example");
    EXPECT_EQ(feed->etag, "\"v1\"");
    EXPECT_EQ(feed->last_error, std::nullopt);
    feeds.record_success("feed/abc", "", std::nullopt, std::string("Tue, 24 Nov 2026 05:00:00 GMT"));
    EXPECT_EQ(feeds.find("feed/abc")->title, "Example") << "an empty title keeps the one known";
}

TEST_P(FeedRepositoryTest, AddsAUrlOnceAndFindsItAfter) {
    nodes.create({"feed/def", "notify.localhost", "publishers", false, 0});
    const auto added = feeds.add_or_find({.node = "feed/def", .url = "https://example.org/new", .interval_seconds = 600}, 2);
    ASSERT_TRUE(added);
    EXPECT_TRUE(added->added);
    EXPECT_EQ(added->feed.node, "feed/def");
    EXPECT_EQ(added->feed.interval_seconds, 600);

    const auto known = feeds.add_or_find({.node = "feed/abc", .url = "https://example.org/feed", .interval_seconds = 60}, 3);
    ASSERT_TRUE(known) << "a URL already there is found, not a conflict";
    EXPECT_FALSE(known->added);
    EXPECT_EQ(known->feed.interval_seconds, 900) << "found as it is";

    EXPECT_FALSE(feeds.add_or_find({.node = "feed/abc", .url = "https://example.org/other", .interval_seconds = 60}, 4))
        << "the node carries another URL's feed";
    EXPECT_FALSE(feeds.find_by_url("https://example.org/other"));
    EXPECT_EQ(feeds.all().size(), 2u);
}

TEST_P(FeedRepositoryTest, AnIntervalIsOnlyEverShortened) {
    EXPECT_EQ(feeds.shorten_interval("feed/abc", 300), 300);
    EXPECT_EQ(feeds.shorten_interval("feed/abc", 600), 300) << "a longer one leaves it";
    EXPECT_EQ(feeds.find("feed/abc")->interval_seconds, 300);
}

TEST_P(FeedRepositoryTest, RemembersKeysOnceAndKeepsOnlyTheNewest) {
    EXPECT_TRUE(feeds.remember("feed/abc", "k1", 10));
    EXPECT_FALSE(feeds.remember("feed/abc", "k1", 11));
    for (int i = 2; i <= 6; ++i) EXPECT_TRUE(feeds.remember("feed/abc", "k" + std::to_string(i), 10 + i));
    feeds.trim_seen("feed/abc", 3);
    EXPECT_EQ(feeds.seen_count("feed/abc"), 3);
    EXPECT_FALSE(feeds.remember("feed/abc", "k6", 20));
    EXPECT_TRUE(feeds.remember("feed/abc", "k1", 20)) << "trimmed keys are forgotten";
}

TEST_P(FeedRepositoryTest, TheFeedGoesWithItsNode) {
    feeds.remember("feed/abc", "k1", 10);
    nodes.remove("feed/abc");
    EXPECT_FALSE(feeds.find("feed/abc"));
    EXPECT_EQ(feeds.seen_count("feed/abc"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedRepositoryTest, fixtures::kBackends, fixtures::backend_name);

}  // namespace
}  // namespace herald::storage
