#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace herald::ingest {

enum class FeedFormat { rss2, rss1, atom };

struct FeedItem {
    std::string key;  // the Atom id, else the RSS guid (or rdf:about), else the link
    std::string title;
    std::string text;  // HTML turned into text
    std::string link;
    std::optional<std::int64_t> published_unix;  // seconds
};

struct ParsedFeed {
    FeedFormat format = FeedFormat::rss2;
    std::string title;
    std::string link;
    std::vector<FeedItem> items;  // in document order; items without any key are left out
};

struct FeedParseError {
    std::string message;
};

// RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0. A pure function of the
// bytes: no network (XML_PARSE_NONET), no entity substitution, no DTD or
// external entity loading, entity references never expanded into text, so a
// billion-laughs document or an entity naming a local file yields nothing.
std::variant<ParsedFeed, FeedParseError> parse_feed(std::string_view bytes);

}  // namespace herald::ingest
