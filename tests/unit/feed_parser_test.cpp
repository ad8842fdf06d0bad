#include "ingest/feed_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ingest/feed_date.h"
#include "ingest/html_text.h"

namespace herald::ingest {
namespace {

ParsedFeed parsed(std::string_view bytes) {
    auto result = parse_feed(bytes);
    if (auto* error = std::get_if<FeedParseError>(&result)) ADD_FAILURE() << error->message;
    return std::holds_alternative<ParsedFeed>(result) ? std::get<ParsedFeed>(result) : ParsedFeed{};
}

std::string error_of(std::string_view bytes) {
    auto result = parse_feed(bytes);
    return std::holds_alternative<FeedParseError>(result) ? std::get<FeedParseError>(result).message : "";
}

TEST(FeedParser, ReadsRss2) {
    const auto feed = parsed(R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Example &amp; Co</title>
    <link>https://example.org/</link>
    <item>
      <title>First post</title>
      <link>https://example.org/1</link>
      <guid isPermaLink="false">urn:example:1</guid>
      <description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;&lt;p&gt;second&amp;nbsp;paragraph&lt;/p&gt;</description>
      <pubDate>Tue, 24 Nov 2026 05:00:00 GMT</pubDate>
    </item>
    <item>
      <title>No guid</title>
      <link>https://example.org/2</link>
      <content:encoded><![CDATA[<div>from <i>content</i></div>]]></content:encoded>
    </item>
    <item><title>No key at all</title></item>
  </channel>
</rss>)");
    EXPECT_EQ(feed.format, FeedFormat::rss2);
    EXPECT_EQ(feed.title, "Example & Co");
    EXPECT_EQ(feed.link, "https://example.org/");
    ASSERT_EQ(feed.items.size(), 2u);
    EXPECT_EQ(feed.items[0].key, "urn:example:1");
    EXPECT_EQ(feed.items[0].title, "First post");
    EXPECT_EQ(feed.items[0].text, "Hello world\nsecond paragraph");
    EXPECT_EQ(feed.items[0].link, "https://example.org/1");
    EXPECT_EQ(feed.items[0].published_unix, 1795496400);
    EXPECT_EQ(feed.items[1].key, "https://example.org/2");
    EXPECT_EQ(feed.items[1].text, "from content");
    EXPECT_EQ(feed.items[1].published_unix, std::nullopt);
}

TEST(FeedParser, ReadsRss1Rdf) {
    const auto feed = parsed(R"(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/rss">
    <title>RDF site</title>
    <link>https://example.org/</link>
  </channel>
  <item rdf:about="https://example.org/a">
    <title>Item A</title>
    <link>https://example.org/a</link>
    <description>About A</description>
    <dc:date>2026-11-24T06:00:00+01:00</dc:date>
  </item>
  <item>
    <title>Item B</title>
    <link>https://example.org/b</link>
  </item>
</rdf:RDF>)");
    EXPECT_EQ(feed.format, FeedFormat::rss1);
    EXPECT_EQ(feed.title, "RDF site");
    ASSERT_EQ(feed.items.size(), 2u);
    EXPECT_EQ(feed.items[0].key, "https://example.org/a");
    EXPECT_EQ(feed.items[0].text, "About A");
    EXPECT_EQ(feed.items[0].published_unix, 1795496400);
    EXPECT_EQ(feed.items[1].key, "https://example.org/b");
}

TEST(FeedParser, ReadsAtom) {
    const auto feed = parsed(R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Atom &lt;em&gt;site&lt;/em&gt;</title>
  <link rel="self" href="https://example.org/atom.xml"/>
  <link href="https://example.org/"/>
  <entry>
    <id>tag:example.org,2026:1</id>
    <title>Entry one</title>
    <link rel="alternate" href="https://example.org/e1"/>
    <updated>2026-11-24T05:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Rich <b>text</b></p><script>x()</script></div></content>
  </entry>
  <entry>
    <title>Entry two</title>
    <link rel="alternate" href="https://example.org/e2"/>
    <published>2026-11-24T05:00:00.250Z</published>
    <summary type="html">&lt;p&gt;a&lt;br/&gt;b&lt;/p&gt;</summary>
  </entry>
</feed>)");
    EXPECT_EQ(feed.format, FeedFormat::atom);
    EXPECT_EQ(feed.title, "Atom site");
    EXPECT_EQ(feed.link, "https://example.org/");
    ASSERT_EQ(feed.items.size(), 2u);
    EXPECT_EQ(feed.items[0].key, "tag:example.org,2026:1");
    EXPECT_EQ(feed.items[0].text, "Rich text");
    EXPECT_EQ(feed.items[0].published_unix, 1795496400);
    EXPECT_EQ(feed.items[1].key, "https://example.org/e2");
    EXPECT_EQ(feed.items[1].text, "a\nb");
}

TEST(FeedParser, BrokenXmlIsAnErrorWithItsLine) {
    const auto error = error_of("<rss><channel><title>x</channel></rss>");
    EXPECT_NE(error.find("not well-formed XML (line 1)"), std::string::npos) << error;
    EXPECT_NE(error_of(""), "");
    EXPECT_NE(error_of("\xff\xfe garbage"), "");
    EXPECT_EQ(error_of("<html><body>hi</body></html>"), "not RSS or Atom: the root element is <html>");
}

TEST(FeedParser, ABillionLaughsNeitherExpandsNorTakesLong) {
    std::string lol = R"(<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">)";
    for (int i = 2; i <= 9; ++i) {
        lol += "\n  <!ENTITY lol" + std::to_string(i) + " \"";
        for (int j = 0; j < 10; ++j) lol += "&lol" + std::to_string(i - 1) + ";";
        lol += "\">";
    }
    lol += R"(
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><guid>1</guid><title>&lol9;&lol9;</title><description>&lol9;</description></item>
</channel></rss>)";
    const auto start = std::chrono::steady_clock::now();
    auto result = parse_feed(lol);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_LT(took, std::chrono::seconds(1));
    if (auto* feed = std::get_if<ParsedFeed>(&result)) {
        EXPECT_LT(feed->title.size(), 100u);
        for (const auto& item : feed->items) EXPECT_LT(item.title.size() + item.text.size(), 100u);
    }
}

TEST(FeedParser, AnExternalEntityNamingALocalFileLeaksNothing) {
    const auto secret = std::filesystem::temp_directory_path() / ("herald-feed-secret-" + std::to_string(::getpid()));
    std::ofstream(secret) << "TOP-SECRET-CONTENT";
    const std::string document = R"(<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://)" + secret.string() + R"("> ]>
<rss version="2.0"><channel><title>t &xxe;</title>
<item><guid>g</guid><title>&xxe;</title><description>&xxe;</description><link>&xxe;</link></item>
</channel></rss>)";
    auto result = parse_feed(document);
    std::filesystem::remove(secret);
    if (auto* feed = std::get_if<ParsedFeed>(&result)) {
        EXPECT_EQ(feed->title.find("TOP-SECRET"), std::string::npos);
        for (const auto& item : feed->items) {
            EXPECT_EQ(item.title.find("TOP-SECRET"), std::string::npos);
            EXPECT_EQ(item.text.find("TOP-SECRET"), std::string::npos);
            EXPECT_EQ(item.link.find("TOP-SECRET"), std::string::npos);
            EXPECT_EQ(item.key.find("TOP-SECRET"), std::string::npos);
        }
    } else {
        EXPECT_EQ(std::get<FeedParseError>(result).message.find("TOP-SECRET"), std::string::npos);
    }
}

TEST(FeedParser, AnExternalDtdIsNotFetched) {
    // NONET and no DTD loading: an unreachable DTD changes nothing.
    const auto feed = parsed(R"(<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:1/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><item><link>https://example.org/x</link></item></channel></rss>)");
    ASSERT_EQ(feed.items.size(), 1u);
    EXPECT_EQ(feed.items[0].key, "https://example.org/x");
}

TEST(HtmlText, TagsScriptsAndEntitiesBecomeReadableText) {
    EXPECT_EQ(html_to_text("plain text"), "plain text");
    EXPECT_EQ(html_to_text("<p>One&nbsp;&amp; two</p><ul><li>a</li><li>b</li></ul>"), "One & two\na\nb");
    EXPECT_EQ(html_to_text("x<script>alert('no')</script><style>p{}</style> y"), "x y");
    EXPECT_EQ(html_to_text("unclosed <b>bold <i>italic"), "unclosed bold italic");
    EXPECT_EQ(html_to_text("  lots   of\t\tspace  "), "lots of space");
    EXPECT_EQ(html_to_text("caf&eacute; &#8212; &lt;tag&gt;"), "caf\xC3\xA9 \xE2\x80\x94 <tag>");
}

TEST(FeedDate, ReadsTheDatesFeedsWrite) {
    EXPECT_EQ(parse_feed_date("Tue, 24 Nov 2026 05:00:00 GMT"), 1795496400);
    EXPECT_EQ(parse_feed_date("Tue, 24 Nov 2026 06:00:00 +0100"), 1795496400);
    EXPECT_EQ(parse_feed_date("24 Nov 2026 00:00 EST"), 1795496400);
    EXPECT_EQ(parse_feed_date("Tue, 24 Nov 26 05:00:00 Z"), 1795496400);
    EXPECT_EQ(parse_feed_date("2026-11-24T05:00:00Z"), 1795496400);
    EXPECT_EQ(parse_feed_date("2026-11-24T00:00:00.123-05:00"), 1795496400);
    EXPECT_EQ(parse_feed_date("2026-11-24"), 1795478400);
    EXPECT_EQ(parse_feed_date("yesterday"), std::nullopt);
    EXPECT_EQ(parse_feed_date("2026-13-40T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parse_feed_date(""), std::nullopt);
}

}  // namespace
}  // namespace herald::ingest
