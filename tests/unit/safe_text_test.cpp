#include <gtest/gtest.h>
#include <libxml/parser.h>

#include <memory>
#include <random>
#include <string>

#include "text/hex.h"
#include "text/safe_text.h"

namespace herald::text {
namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string bytes(const char* data, std::size_t size) { return std::string(data, size); }

// Parsed back by libxml2 without recovery, as a strict peer would.
bool well_formed(const std::string& document) {
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
        xmlReadMemory(document.data(), static_cast<int>(document.size()), nullptr, "UTF-8",
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
        xmlFreeDoc);
    return doc != nullptr;
}

TEST(SafeTextTest, KeepsOrdinaryText) {
    for (const std::string text : {"plain", "tab\tline\nreturn\r", "caf\xC3\xA9 \xF0\x9F\x94\xA5",
                                   "\xE2\x80\x8F" "rtl", "a\xCC\x81\xCC\x82", "\xEF\xBF\xBD"}) {
        EXPECT_EQ(clean(text), text);
        EXPECT_TRUE(is_clean(text)) << text;
    }
}

TEST(SafeTextTest, StripsTerminalEscapesWhole) {
    EXPECT_EQ(clean("build \x1B[31mFAILED\x1B[0m"), "build FAILED");
    EXPECT_EQ(clean("\x1B[1;38;5;196mred\x1B[m!"), "red!");
    EXPECT_EQ(clean("\x1B]0;title\x07text"), "text");
    EXPECT_EQ(clean("\x1B]8;;https://x\x1B\\link\x1B]8;;\x1B\\"), "link");
    EXPECT_EQ(clean("reset\x1B" "c done"), "reset done");
    EXPECT_EQ(clean("\x1B(Bascii"), "ascii");
    EXPECT_EQ(clean("lone \x1B"), "lone ");
    EXPECT_FALSE(is_clean("\x1B[0m"));
}

TEST(SafeTextTest, DropsForbiddenCharacters) {
    EXPECT_EQ(clean(bytes("nul\0!", 5)), "nul!");
    EXPECT_EQ(clean("\x01\x02\x0B\x0C\x1F" "ok\x7F"), "ok");
    EXPECT_EQ(clean("c1 \xC2\x9B" "31m"), "c1 31m");
    EXPECT_EQ(clean("\xEF\xBF\xBE\xEF\xBF\xBF" "end"), "end");  // U+FFFE, U+FFFF
}

TEST(SafeTextTest, ReplacesInvalidUtf8) {
    EXPECT_EQ(clean("latin1 \xE9t\xE9"), std::string("latin1 ") + kReplacement + "t" + kReplacement);
    EXPECT_EQ(clean("\xFF\xFE"), std::string(kReplacement) + kReplacement);
    EXPECT_EQ(clean("\xC0\xAF"), std::string(kReplacement) + kReplacement);  // overlong '/'
    EXPECT_EQ(clean("\xED\xA0\x80"), std::string(kReplacement) + kReplacement + kReplacement);  // a surrogate
    EXPECT_EQ(clean("\xF4\x90\x80\x80").find("\xF4"), std::string::npos);  // beyond U+10FFFF
    EXPECT_EQ(clean("cut \xE2\x82"), std::string("cut ") + kReplacement + kReplacement);
}

TEST(SafeTextTest, EscapesMarkup) {
    EXPECT_EQ(xml_escaped("a<b>&'\"c"), "a&lt;b&gt;&amp;&apos;&quot;c");
    EXPECT_EQ(xml_escaped("\x1B[31m<red>"), "&lt;red&gt;");
}

TEST(SafeTextTest, TruncationNeverSplitsACharacter) {
    const std::string accents = "a" + [] {
        std::string s;
        for (int i = 0; i < 20; ++i) s += "\xC3\xA9";
        return s;
    }();
    for (std::size_t max = 0; max <= accents.size() + 1; ++max) {
        const auto cut = truncated(accents, max);
        EXPECT_LE(cut.size(), max);
        EXPECT_TRUE(is_clean(cut)) << max;
        EXPECT_GE(cut.size() + 1, std::min(max, accents.size())) << "cuts at most one partial character";
    }
    EXPECT_EQ(truncated("\xF0\x9F\x94\xA5x", 3), "");
}

TEST(SafeTextTest, CleanMarkupKeepsElementsAndRepairsText) {
    const std::string row = "<title>a\x1B[31mb\xFF</title>";
    const auto repaired = clean_markup(row);
    EXPECT_EQ(repaired, std::string("<title>a") + kReplacement + "[31mb" + kReplacement + "</title>");
    EXPECT_TRUE(well_formed(repaired));
}

// Any byte string in: escaped text inside an element and an attribute is a
// well-formed document, and cleaning is idempotent.
TEST(SafeTextTest, AnyBytesGiveWellFormedXml) {
    std::mt19937 random(20261130);
    const std::string interesting[] = {"\x1B[", "\xC3", "\xED\xA0\x80", "\xEF\xBF\xBE", "\xF0\x9F", "&", "<",
                                       "]]>",    "'",    "\"",           "\x00",         "\xC2\x85", "\r"};
    for (int round = 0; round < 20000; ++round) {
        std::string input;
        const int parts = static_cast<int>(random() % 24);
        for (int i = 0; i < parts; ++i) {
            if (random() % 3 == 0) input += interesting[random() % std::size(interesting)];
            else input += static_cast<char>(random() % 256);
        }
        const auto escaped = xml_escaped(input);
        const auto document = "<a v='" + escaped + "'>" + escaped + "</a>";
        ASSERT_TRUE(well_formed(document)) << "input bytes: " << ::testing::PrintToString(input);
        const auto cleaned = clean(input);
        ASSERT_TRUE(is_clean(cleaned));
        ASSERT_EQ(clean(cleaned), cleaned);
        ASSERT_TRUE(well_formed("<a>" + clean_markup(escaped) + "</a>"));
    }
}

}  // namespace
}  // namespace herald::text

TEST(Hex, BytesInLowerCaseTwoDigitsEach) {
    EXPECT_EQ(herald::text::hex_lower(std::string_view("\x00\x0f\xa0\xff", 4)), "000fa0ff");
    EXPECT_EQ(herald::text::hex_lower(std::string_view()), "");
}

TEST(Hex, EscapedByteIsUpperCase) {
    EXPECT_EQ(herald::text::escaped_byte('%', 0x2f), "%2F");
    EXPECT_EQ(herald::text::escaped_byte('=', 0xe9), "=E9");
    EXPECT_EQ(herald::text::escaped_byte('=', 0x00), "=00");
}

TEST(Hex, DigitValuesOfEitherCase) {
    EXPECT_EQ(herald::text::hex_value('0'), 0);
    EXPECT_EQ(herald::text::hex_value('a'), 10);
    EXPECT_EQ(herald::text::hex_value('F'), 15);
    EXPECT_EQ(herald::text::hex_value('g'), -1);
    EXPECT_EQ(herald::text::hex_value('%'), -1);
}
