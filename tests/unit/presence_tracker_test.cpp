#include <gtest/gtest.h>

#include "routing/user_presence.h"

using herald::routing::Availability;
using herald::routing::availability_from_show;
using herald::routing::UserPresence;

TEST(UserPresence, NoResourcesIsOffline) {
    UserPresence presence;
    EXPECT_EQ(presence.state(), Availability::offline);
    EXPECT_EQ(presence.best_resource(), nullptr);
}

TEST(UserPresence, ShowValuesMapToStates) {
    EXPECT_EQ(availability_from_show(""), Availability::available);
    EXPECT_EQ(availability_from_show("chat"), Availability::chat);
    EXPECT_EQ(availability_from_show("away"), Availability::away);
    EXPECT_EQ(availability_from_show("xa"), Availability::xa);
    EXPECT_EQ(availability_from_show("dnd"), Availability::dnd);
    EXPECT_EQ(availability_from_show("bogus"), Availability::available);
}

TEST(UserPresence, StateIsTheBestResource) {
    UserPresence presence;
    presence.update("phone", {Availability::dnd, 5});
    EXPECT_EQ(presence.state(), Availability::dnd);
    presence.update("laptop", {Availability::away, 1});
    EXPECT_EQ(presence.state(), Availability::away);
    EXPECT_EQ(*presence.best_resource(), "laptop");
    presence.update("desk", {Availability::available, 0});
    EXPECT_EQ(presence.state(), Availability::available);
    presence.remove("desk");
    EXPECT_EQ(presence.state(), Availability::away);
    presence.remove("laptop");
    presence.remove("phone");
    EXPECT_EQ(presence.state(), Availability::offline);
    EXPECT_FALSE(presence.any_resource());
}

TEST(UserPresence, HigherPriorityWinsAmongEqualStates) {
    UserPresence presence;
    presence.update("a", {Availability::available, 1});
    presence.update("b", {Availability::chat, 10});
    EXPECT_EQ(*presence.best_resource(), "b");
    presence.update("a", {Availability::available, 20});
    EXPECT_EQ(*presence.best_resource(), "a");
}

TEST(UserPresence, NegativePriorityTakesNoNotifications) {
    UserPresence presence;
    presence.update("bot", {Availability::available, -1});
    EXPECT_EQ(presence.state(), Availability::offline);
    EXPECT_EQ(presence.best_resource(), nullptr);
    EXPECT_TRUE(presence.any_resource());
    presence.update("phone", {Availability::xa, 0});
    EXPECT_EQ(presence.state(), Availability::xa);
    EXPECT_EQ(*presence.best_resource(), "phone");
}

TEST(UserPresence, BareResourceIsTrackedLikeAnyOther) {
    UserPresence presence;
    presence.update("", {Availability::away, 0});
    ASSERT_NE(presence.best_resource(), nullptr);
    EXPECT_EQ(*presence.best_resource(), "");
    EXPECT_EQ(presence.state(), Availability::away);
}
