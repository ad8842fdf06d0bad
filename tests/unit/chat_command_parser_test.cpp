#include <gtest/gtest.h>

#include "component/chat_command_parser.h"
#include "component/commands/preference_change.h"

using namespace herald::component;
using namespace herald::component::commands;

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

::testing::AssertionResult names(const std::optional<std::string>& problem, const std::string& value) {
    if (!problem) return ::testing::AssertionFailure() << "accepted, expected a problem naming '" << value << "'";
    if (problem->find("'" + value + "'") != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "'" << *problem << "' does not name '" << value << "'";
}

TEST(ChatCommandParser, TypeAndDndTakeOneKnownWord) {
    herald::storage::Preferences preferences;
    EXPECT_FALSE(change_preference(preferences, "TYPE Headline"));
    EXPECT_EQ(preferences.message_type, "headline");
    EXPECT_TRUE(names(change_preference(preferences, "type loud"), "loud"));
    EXPECT_EQ(preferences.message_type, "headline") << "a refused value changes nothing";
    EXPECT_FALSE(change_preference(preferences, "type pubsub"));
    EXPECT_EQ(preferences.message_type, "pubsub");
    EXPECT_TRUE(names(change_preference(preferences, "dnd urgent"), "urgent"));
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

TEST(ChatCommandParser, QuietHoursTakeSingleDigitHours) {
    herald::storage::Preferences preferences;
    EXPECT_FALSE(change_preference(preferences, "quiet 7:00-9:30"));
    EXPECT_EQ(preferences.quiet_start, "07:00");
    EXPECT_EQ(preferences.quiet_end, "09:30");
}

TEST(ChatCommandParser, QuietHoursErrorsNameTheWrongValue) {
    herald::storage::Preferences preferences;
    const auto bad_time = change_preference(preferences, "quiet 25:00-07:00 Mars/Olympus");
    EXPECT_TRUE(names(bad_time, "25:00"));
    EXPECT_NE(bad_time->find("not a time"), std::string::npos) << *bad_time;
    EXPECT_TRUE(names(change_preference(preferences, "quiet 22:00-7:60"), "7:60"));
    EXPECT_TRUE(names(change_preference(preferences, "quiet 22:00-07:000"), "07:000"));
    EXPECT_TRUE(names(change_preference(preferences, "quiet 22-07"), "22"));
    const auto bad_zone = change_preference(preferences, "quiet 22:00-07:00 Mars/Olympus");
    EXPECT_TRUE(names(bad_zone, "Mars/Olympus"));
    EXPECT_NE(bad_zone->find("not a time zone"), std::string::npos) << *bad_zone;
    EXPECT_FALSE(preferences.quiet_start) << "nothing is applied from a refused sentence";
}

TEST(ChatCommandParser, EscalationErrorsNameTheWrongValue) {
    herald::storage::Preferences preferences;
    EXPECT_TRUE(names(change_preference(preferences, "escalation sms 123"), "sms"));
    EXPECT_TRUE(names(change_preference(preferences, "escalation mail nobody"), "nobody"));
    EXPECT_TRUE(names(change_preference(preferences, "escalation webhook ftp://x"), "ftp://x"));
    EXPECT_TRUE(names(change_preference(preferences, "escalation mail me@example.org soon"), "soon"));
    EXPECT_TRUE(names(change_preference(preferences, "escalation mail me@example.org 99999"), "99999"));
    EXPECT_TRUE(names(change_preference(preferences, "escalation mail me@example.org 30 loud"), "loud"));
    EXPECT_TRUE(change_preference(preferences, "escalation mail"));
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
