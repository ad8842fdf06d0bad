// The admin-only rules of PubsubService on their own: the ad-hoc layer checks
// them first, so only a direct call shows that the service refuses too.

#include <gtest/gtest.h>

#include "component/pubsub_service.h"
#include "storage/database.h"
#include "storage/sqlite_delivery_queue.h"
#include "storage/sqlite_escalation_repository.h"
#include "storage/sqlite_feed_repository.h"
#include "storage/sqlite_node_repository.h"
#include "storage/sqlite_token_repository.h"
#include "storage/sqlite_user_repository.h"

using namespace herald;

namespace {

class PubsubServiceRules : public ::testing::Test {
protected:
    storage::Database db{":memory:"};
    storage::SqliteUserRepository users{db};
    storage::SqliteNodeRepository nodes{db};
    storage::SqliteDeliveryQueue queue{db};
    storage::SqliteTokenRepository tokens{db};
    storage::SqliteEscalationRepository escalations{db};
    storage::SqliteFeedRepository feeds{db};
    storage::Repositories repos{users, nodes, queue, tokens, escalations, feeds};
    component::Config config;
    component::PubsubService service{config};
    const component::Actor user{"bob@example.org", false};
    const component::Actor admin{"admin@example.org", true};
};

std::string refusal_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const component::PubsubError& refusal) {
        return refusal.condition;
    }
    return "allowed";
}

TEST_F(PubsubServiceRules, StatsAreForAdminsOnly) {
    EXPECT_EQ(refusal_of([&] { service.stats(repos, user); }), "forbidden");
    EXPECT_EQ(refusal_of([&] { service.stats(repos, admin); }), "allowed");
}

TEST_F(PubsubServiceRules, BroadcastsAreForAdminsOnly) {
    EXPECT_EQ(refusal_of([&] { service.broadcast(repos, user, "title", "body", 1000); }), "forbidden");
    EXPECT_EQ(refusal_of([&] { service.broadcast(repos, admin, "title", "body", 1000); }), "allowed");
}

}  // namespace
