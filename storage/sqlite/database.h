#pragma once

#include <memory>
#include <string>

struct sqlite3;

namespace herald::storage {

class Statement;

// One SQLite connection: opened in WAL mode, migrated to the current schema.
// The file is created with mode 0600. Not thread-safe: one owner at a time.
class Database {
public:
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Statement prepare(const char* sql);
    void execute(const char* sql);

    void begin();
    void commit();
    void rollback();

    int schema_version();
    sqlite3* handle() { return db_; }

private:
    sqlite3* db_ = nullptr;
};

// Commits on commit(), rolls back when left without it.
class Transaction {
public:
    explicit Transaction(Database& db) : db_(db) { db_.begin(); }
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace herald::storage
