#include "bench/callgrind_counter.h"

#include <sstream>

#include <gtest/gtest.h>

namespace herald::bench {
namespace {

std::optional<unsigned long long> instructions_of(const std::string& text) {
    std::istringstream in(text);
    return callgrind_instructions(in);
}

TEST(CallgrindInstructions, TotalsWinOverSummary) {
    // A dump after callgrind_control --zero: the summary line says 0, the
    // totals at the end count the window.
    EXPECT_EQ(instructions_of("# callgrind format\nversion: 1\ndesc: Trigger: dump\npositions: line\n"
                              "events: Ir\nsummary: 0\n\nfn=(1) main\n3 5\ntotals: 123456789\n"),
              123456789u);
    EXPECT_EQ(instructions_of("events: Ir\nsummary: 4200\n"), 4200u);
}

TEST(CallgrindInstructions, ReadsTheIrColumnAmongOtherEvents) {
    EXPECT_EQ(instructions_of("events: Dr Ir Dw\nsummary: 1 2 3\ntotals: 10 20 30\n"), 20u);
}

TEST(CallgrindInstructions, NoIrNoFigure) {
    EXPECT_FALSE(instructions_of(""));
    EXPECT_FALSE(instructions_of("events: Dr\ntotals: 10\n"));
    EXPECT_FALSE(instructions_of("totals: 10\n"));  // no events line: which column?
    EXPECT_FALSE(instructions_of("events: Ir\ntotals: many\n"));
}

}  // namespace
}  // namespace herald::bench
