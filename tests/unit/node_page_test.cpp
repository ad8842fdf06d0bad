// NodeRepository pages of public topics: what disco#items (XEP-0059) and the
// subscribe command's search read instead of every topic at once.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/unit/backend_fixture.h"

using namespace herald::storage;

namespace {

class NodeRepositoryPages : public fixtures::BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        for (int i = 0; i < 25; ++i) {
            const auto number = std::to_string(i);
            nodes.create({"topic-" + std::string(2 - number.size(), '0') + number, "o@x", "publishers", false, 0});
        }
        nodes.create({"Backups", "o@x", "publishers", false, 0});
        nodes.create({"inbox/o@x", "o@x", "publishers", true, 0});  // personal: never listed
    }
};

TEST_P(NodeRepositoryPages, PagesAfterANameWalkEveryPublicTopicOnceInOrder) {
    std::vector<std::string> seen;
    std::string after;
    for (int pages = 0; pages < 10; ++pages) {
        const auto page = nodes.public_nodes_after("", after, 10);
        EXPECT_EQ(page.count, 26);
        if (page.names.empty()) break;
        EXPECT_EQ(page.first_index, static_cast<std::int64_t>(seen.size()));
        EXPECT_LE(page.names.size(), 10u);
        seen.insert(seen.end(), page.names.begin(), page.names.end());
        after = page.names.back();
    }
    ASSERT_EQ(seen.size(), 26u);
    EXPECT_EQ(seen.front(), "Backups");
    EXPECT_EQ(seen.back(), "topic-24");
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(nodes.public_nodes(), seen) << "the same topics as the whole list";
}

TEST_P(NodeRepositoryPages, PagesBeforeANameAndTheLastPage) {
    const auto last = nodes.public_nodes_before("", "", 10);
    ASSERT_EQ(last.names.size(), 10u);
    EXPECT_EQ(last.names.front(), "topic-15");
    EXPECT_EQ(last.names.back(), "topic-24");
    EXPECT_EQ(last.first_index, 16);
    const auto earlier = nodes.public_nodes_before("", "topic-15", 10);
    ASSERT_EQ(earlier.names.size(), 10u);
    EXPECT_EQ(earlier.names.back(), "topic-14");
    EXPECT_EQ(earlier.first_index, 6);
}

TEST_P(NodeRepositoryPages, SearchMatchesPartOfANameInAnyCaseAndCountsEveryMatch) {
    const auto some = nodes.public_nodes_after("TOPIC-1", "", 4);
    EXPECT_EQ(some.count, 10) << "topic-10 .. topic-19";
    EXPECT_EQ(some.names, (std::vector<std::string>{"topic-10", "topic-11", "topic-12", "topic-13"}));
    EXPECT_EQ(nodes.public_nodes_after("backup", "", 4).names, std::vector<std::string>{"Backups"});
    const auto none = nodes.public_nodes_after("nothing like it", "", 4);
    EXPECT_TRUE(none.names.empty());
    EXPECT_EQ(none.count, 0);
    EXPECT_EQ(nodes.public_nodes_after("inbox", "", 4).count, 0) << "personal nodes are not public";
    EXPECT_EQ(nodes.public_nodes_after("%", "", 4).count, 0) << "no LIKE wildcards";
    EXPECT_TRUE(nodes.public_nodes_after("", "topic-24", 4).names.empty()) << "past the last";
}

INSTANTIATE_TEST_SUITE_P(Backends, NodeRepositoryPages, fixtures::kBackends, fixtures::backend_name);

}  // namespace
