#include <gtest/gtest.h>

#include "component/chat_command_parser.h"

using namespace herald::component;

TEST(ChatCommandParser, CommandWordIsCaseInsensitiveAndTheRestIsTrimmed) {
    const auto command = parse_chat_command("  Sub \t My Topic  \n");
    EXPECT_EQ(command.word, "sub");
    EXPECT_EQ(command.argument, "My Topic");
}

TEST(ChatCommandParser, EmptyAndBareWords) {
    EXPECT_EQ(parse_chat_command("").word, "");
    EXPECT_EQ(parse_chat_command(" \n ").word, "");
    const auto command = parse_chat_command("LIST");
    EXPECT_EQ(command.word, "list");
    EXPECT_EQ(command.argument, "");
}

TEST(ChatCommandParser, SplitsWords) {
    EXPECT_EQ(split_words("  a  bc\td\n"), (std::vector<std::string>{"a", "bc", "d"}));
    EXPECT_TRUE(split_words("   ").empty());
}

TEST(ChatCommandParser, HistoryCount) {
    EXPECT_EQ(parse_history_count("", 10), 10);
    EXPECT_EQ(parse_history_count("3", 10), 3);
    EXPECT_EQ(parse_history_count("500", 10), 500);
    EXPECT_FALSE(parse_history_count("0", 10));
    EXPECT_FALSE(parse_history_count("-2", 10));
    EXPECT_FALSE(parse_history_count("ten", 10));
    EXPECT_FALSE(parse_history_count("3 4", 10));
    EXPECT_FALSE(parse_history_count("99999999999999", 10));
}

TEST(ChatCommandParser, TypeAndDndTakeOneWordAsTyped) {
    herald::storage::Preferences preferences;
    EXPECT_FALSE(change_preference(preferences, "TYPE Headline"));
    EXPECT_EQ(preferences.message_type, "headline");
    EXPECT_FALSE(change_preference(preferences, "type loud"));
    EXPECT_EQ(preferences.message_type, "loud") << "the service judges values";
    EXPECT_FALSE(change_preference(preferences, "dnd high"));
    EXPECT_EQ(preferences.dnd_holds, "high");
    EXPECT_TRUE(change_preference(preferences, "type"));
    EXPECT_TRUE(change_preference(preferences, "dnd low high"));
}

TEST(ChatCommandParser, QuietHours) {
    herald::storage::Preferences preferences;
    EXPECT_FALSE(change_preference(preferences, "quiet 22:00-07:00 Europe/Paris"));
    EXPECT_EQ(preferences.quiet_start, "22:00");
    EXPECT_EQ(preferences.quiet_end, "07:00");
    EXPECT_EQ(preferences.quiet_zone, "Europe/Paris");
    EXPECT_FALSE(change_preference(preferences, "quiet 12:00-13:00"));
    EXPECT_EQ(preferences.quiet_zone, "UTC");
    EXPECT_FALSE(change_preference(preferences, "quiet OFF"));
    EXPECT_FALSE(preferences.quiet_start);
    EXPECT_FALSE(preferences.quiet_end);
    EXPECT_FALSE(preferences.quiet_zone);
    EXPECT_TRUE(change_preference(preferences, "quiet 22:00"));
    EXPECT_TRUE(change_preference(preferences, "quiet"));
    EXPECT_TRUE(change_preference(preferences, "quiet 22:00-07:00 UTC extra"));
}

TEST(ChatCommandParser, Escalation) {
    herald::storage::Preferences preferences;
    EXPECT_FALSE(change_preference(preferences, "escalation mail me@example.org 30"));
    EXPECT_EQ(preferences.escalation_channel, "mail");
    EXPECT_EQ(preferences.escalation_target, "me@example.org");
    EXPECT_EQ(preferences.escalation_minutes, 30);
    EXPECT_FALSE(change_preference(preferences, "escalation webhook https://hooks.example.org/x"));
    EXPECT_EQ(preferences.escalation_channel, "webhook");
    EXPECT_EQ(preferences.escalation_target, "https://hooks.example.org/x");
    EXPECT_EQ(preferences.escalation_minutes, 30) << "the delay stays unless given";
    EXPECT_FALSE(change_preference(preferences, "escalation none"));
    EXPECT_EQ(preferences.escalation_channel, "none");
    EXPECT_FALSE(preferences.escalation_target);
    EXPECT_TRUE(change_preference(preferences, "escalation mail me@example.org soon"));
    EXPECT_TRUE(change_preference(preferences, "escalation none me@example.org"));
    EXPECT_TRUE(change_preference(preferences, "escalation"));
}

TEST(ChatCommandParser, UnknownOrMissingKeyIsNamed) {
    herald::storage::Preferences preferences;
    const auto unknown = change_preference(preferences, "colour blue");
    ASSERT_TRUE(unknown);
    EXPECT_NE(unknown->find("colour"), std::string::npos);
    EXPECT_TRUE(change_preference(preferences, ""));
}
