#include "bench/process_cpu.h"

#include <unistd.h>

#include <ctime>

#include <gtest/gtest.h>

namespace herald::bench {
namespace {

// A real line of beam.smp's /proc/PID/stat (fields after starttime cut).
constexpr const char* kBeam =
    "4242 (beam.smp) S 1 4242 4242 0 -1 4194560 90210 0 2 0 2800 153 0 0 20 0 33 0 123456 "
    "3092471808 30123 18446744073709551615";

TEST(ParseProcStat, ReadsPidCommStateTimesAndStart) {
    const auto stat = parse_proc_stat(kBeam);
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->pid, 4242);
    EXPECT_EQ(stat->comm, "beam.smp");
    EXPECT_EQ(stat->state, 'S');
    EXPECT_EQ(stat->user_ticks, 2800u);
    EXPECT_EQ(stat->system_ticks, 153u);
    EXPECT_EQ(stat->start_ticks, 123456u);
}

TEST(ParseProcStat, CommMayHoldSpacesAndParentheses) {
    const auto stat = parse_proc_stat("17 (a) b (c) R 1 17 17 0 -1 0 0 0 0 0 7 9 0 0 20 0 1 0 55 0 0");
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->comm, "a) b (c");
    EXPECT_EQ(stat->state, 'R');
    EXPECT_EQ(stat->user_ticks, 7u);
    EXPECT_EQ(stat->system_ticks, 9u);
    EXPECT_EQ(stat->start_ticks, 55u);
}

TEST(ParseProcStat, RefusesWhatIsNotAStatLine) {
    EXPECT_FALSE(parse_proc_stat(""));
    EXPECT_FALSE(parse_proc_stat("4242 beam.smp S 1"));
    EXPECT_FALSE(parse_proc_stat("x (herald) S 1 2 3"));
    EXPECT_FALSE(parse_proc_stat("12 (herald) S 1 2 3 4 5 6 7 8 9 10"));  // cut before starttime
    EXPECT_FALSE(parse_proc_stat("12 (herald) S 1 2 3 4 5 6 7 8 9 10 ten 0 0 0 0 0 0 0 1"));
}

TEST(SampleCpu, ThisProcessUsesTheCpuItBurns) {
    const auto before = sample_cpu(::getpid());
    ASSERT_TRUE(before);
    EXPECT_TRUE(before->from_cpu_clock);
    // Burn 30 ms of CPU as this process's own clock counts it (the wall
    // time that takes depends on the machine's load).
    const auto own = [] {
        timespec now{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
        return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
    };
    const double start = own();
    volatile double sink = 0;
    while (own() - start < 0.03) sink = sink + 1;
    const auto use = cpu_between(before, sample_cpu(::getpid()));
    ASSERT_TRUE(use);
    EXPECT_GE(use->total_seconds, 0.03);
    EXPECT_LT(use->total_seconds, 5.0);
}

TEST(SampleCpu, NoProcessNoSample) { EXPECT_FALSE(sample_cpu(0x3fffffff)); }

TEST(CpuBetween, AnotherProcessAtTheEndIsNoFigure) {
    CpuSample before;
    before.stat.pid = 10;
    before.stat.start_ticks = 100;
    before.total_seconds = 1;
    auto restarted = before;
    restarted.stat.start_ticks = 200;
    restarted.total_seconds = 0.5;
    EXPECT_FALSE(cpu_between(before, restarted));
    EXPECT_FALSE(cpu_between(before, std::nullopt));
    auto later = before;
    later.total_seconds = 1.25;
    later.user_seconds = 0.2;
    const auto use = cpu_between(before, later);
    ASSERT_TRUE(use);
    EXPECT_DOUBLE_EQ(use->total_seconds, 0.25);
    EXPECT_DOUBLE_EQ(use->user_seconds, 0.2);
}

}  // namespace
}  // namespace herald::bench
