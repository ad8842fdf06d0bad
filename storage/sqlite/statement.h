#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace herald::storage {

[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view context);

// A prepared statement. Parameters are bound by position (1-based).
class Statement {
public:
    Statement(sqlite3* db, const char* sql);
    Statement(sqlite3* db, const std::string& sql) : Statement(db, sql.c_str()) {}
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);
    Statement& bind_optional(int index, const std::optional<std::string>& text);
    Statement& bind_optional(int index, const std::optional<std::int64_t>& value);

    // Advances to the next row; false when done.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    void reset();

    std::string column_text(int index) const;
    std::optional<std::string> column_optional_text(int index) const;
    std::int64_t column_int(int index) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace herald::storage
