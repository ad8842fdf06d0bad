#include <gtest/gtest.h>

#include "routing/quiet_hours.h"

using namespace herald::routing;

namespace {

// 2026-01-15 (winter) and 2026-07-15 (summer), at the given UTC time.
std::int64_t january_utc(int hours, int minutes) {
    return (1768435200LL + hours * 3600 + minutes * 60) * 1000;
}
std::int64_t july_utc(int hours, int minutes) {
    return (1784073600LL + hours * 3600 + minutes * 60) * 1000;
}

}  // namespace

TEST(QuietHours, ParsesClockTimes) {
    EXPECT_EQ(parse_clock_time("00:00"), 0);
    EXPECT_EQ(parse_clock_time("22:30"), 22 * 60 + 30);
    EXPECT_FALSE(parse_clock_time("24:00"));
    EXPECT_FALSE(parse_clock_time("7:00"));
    EXPECT_FALSE(parse_clock_time("07:60"));
    EXPECT_FALSE(parse_clock_time("ab:cd"));
}

TEST(QuietHours, KnowsTimeZones) {
    EXPECT_TRUE(known_time_zone("UTC"));
    EXPECT_TRUE(known_time_zone("Europe/Paris"));
    EXPECT_FALSE(known_time_zone("Mars/Olympus"));
    EXPECT_FALSE(known_time_zone(""));
}

TEST(QuietHours, SpanWithinADay) {
    EXPECT_TRUE(in_quiet_hours("12:00", "14:00", "UTC", january_utc(13, 0)));
    EXPECT_FALSE(in_quiet_hours("12:00", "14:00", "UTC", january_utc(14, 0)));
    EXPECT_FALSE(in_quiet_hours("12:00", "14:00", "UTC", january_utc(11, 59)));
}

TEST(QuietHours, SpanAcrossMidnight) {
    EXPECT_TRUE(in_quiet_hours("22:00", "07:00", "UTC", january_utc(23, 30)));
    EXPECT_TRUE(in_quiet_hours("22:00", "07:00", "UTC", january_utc(3, 0)));
    EXPECT_FALSE(in_quiet_hours("22:00", "07:00", "UTC", january_utc(12, 0)));
}

TEST(QuietHours, FollowsTheZoneAndItsDaylightSaving) {
    // 21:30 UTC is 22:30 in Paris in winter (UTC+1) and 23:30 in summer (UTC+2).
    EXPECT_TRUE(in_quiet_hours("22:00", "23:00", "Europe/Paris", january_utc(21, 30)));
    EXPECT_FALSE(in_quiet_hours("22:00", "23:00", "Europe/Paris", july_utc(21, 30)));
    EXPECT_TRUE(in_quiet_hours("23:00", "23:59", "Europe/Paris", july_utc(21, 30)));
}

TEST(QuietHours, IncompleteSettingsAreNeverQuiet) {
    EXPECT_FALSE(in_quiet_hours(std::nullopt, "07:00", "UTC", january_utc(3, 0)));
    EXPECT_FALSE(in_quiet_hours("22:00", "07:00", std::nullopt, january_utc(23, 0)));
    EXPECT_FALSE(in_quiet_hours("22:00", "07:00", "Nowhere/Land", january_utc(23, 0)));
    EXPECT_FALSE(in_quiet_hours("22:00", "22:00", "UTC", january_utc(22, 0)));
}
