#pragma once

#include "storage/feed_repository.h"
#include "storage/postgresql/connection.h"

namespace herald::storage {

class PostgresqlFeedRepository final : public FeedRepository {
public:
    explicit PostgresqlFeedRepository(pg::Connection& connection);

    bool add(const Feed& feed, std::int64_t now) override;
    std::optional<FeedOfUrl> add_or_find(const Feed& feed, std::int64_t now) override;
    std::optional<Feed> find(std::string_view node) override;
    std::optional<Feed> find_by_url(std::string_view url) override;
    std::vector<Feed> all() override;
    std::int64_t shorten_interval(std::string_view node, std::int64_t seconds) override;
    void record_success(std::string_view node, std::string_view title, const std::optional<std::string>& etag,
                        const std::optional<std::string>& last_modified) override;
    std::int64_t record_failure(std::string_view node, std::string_view error) override;
    bool remember(std::string_view node, std::string_view key, std::int64_t now_ms) override;
    void trim_seen(std::string_view node, std::int64_t keep) override;
    std::int64_t seen_count(std::string_view node) override;

private:
    pg::Statement insert_, find_, find_by_url_, all_, shorten_interval_, success_, failure_, remember_, trim_,
        seen_count_;
};

}  // namespace herald::storage
