// TokenRepository on every backend (tests/unit/backend_fixture.h): what the
// SQLite repository does, each backend does.

#include <gtest/gtest.h>

#include "tests/unit/backend_fixture.h"

namespace herald::storage {
namespace {

struct TokenRepositoryTest : fixtures::BackendTest {
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        nodes.create({"alerts", "p@x", "publishers", false, 0});
        nodes.create({"backups", "p@x", "publishers", false, 0});
    }
};

TEST_P(TokenRepositoryTest, OneLabelPerTopicFoundByDigestAndRevoked) {
    EXPECT_TRUE(tokens.add("digest-1", {"alerts", "ci", "p@x"}, 1));
    EXPECT_FALSE(tokens.add("digest-2", {"alerts", "ci", "p@x"}, 2)) << "the topic has a token with that label";
    EXPECT_FALSE(tokens.add("digest-1", {"backups", "other", "p@x"}, 3)) << "a digest is one token";
    EXPECT_TRUE(tokens.add("digest-3", {"backups", "ci", "p@x"}, 4)) << "labels are per topic";
    EXPECT_TRUE(tokens.add("digest-4", {"alerts", "backup-job", "q@x"}, 5));
    const auto found = tokens.find("digest-4");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->node, "alerts");
    EXPECT_EQ(found->label, "backup-job");
    EXPECT_EQ(found->created_by, "q@x");
    EXPECT_FALSE(tokens.find("digest-2"));
    EXPECT_EQ(tokens.labels("alerts"), (std::vector<std::string>{"backup-job", "ci"}));
    EXPECT_TRUE(tokens.revoke("alerts", "ci"));
    EXPECT_FALSE(tokens.revoke("alerts", "ci"));
    EXPECT_FALSE(tokens.find("digest-1"));
    nodes.remove("backups");
    EXPECT_FALSE(tokens.find("digest-3")) << "tokens go with their topic";
}

TEST_P(TokenRepositoryTest, AddingWithinALimitPerCreator) {
    EXPECT_EQ(tokens.add_within("d1", {"alerts", "one", "p@x"}, 1, 2), LimitedInsert::done);
    EXPECT_EQ(tokens.add_within("d2", {"alerts", "one", "p@x"}, 2, 2), LimitedInsert::exists);
    EXPECT_EQ(tokens.add_within("d3", {"backups", "two", "p@x"}, 3, 2), LimitedInsert::done);
    EXPECT_EQ(tokens.add_within("d4", {"backups", "three", "p@x"}, 4, 2), LimitedInsert::over_limit);
    EXPECT_EQ(tokens.add_within("d5", {"backups", "three", "q@x"}, 5, 2), LimitedInsert::done) << "per creator";
    tokens.revoke_created_by("p@x");
    EXPECT_EQ(tokens.labels("alerts"), std::vector<std::string>{});
    EXPECT_EQ(tokens.labels("backups"), std::vector<std::string>{"three"});
    EXPECT_EQ(tokens.add_within("d6", {"alerts", "again", "p@x"}, 6, 2), LimitedInsert::done);
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenRepositoryTest, fixtures::kBackends, fixtures::backend_name);

}  // namespace
}  // namespace herald::storage
