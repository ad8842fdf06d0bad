#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

namespace herald::storage::pg {

// A parameter as libpq takes it: text, or NULL.
using Parameter = std::optional<std::string>;

inline Parameter parameter(std::string_view text) { return std::string(text); }
inline Parameter parameter(const std::string& text) { return text; }
inline Parameter parameter(const char* text) { return std::string(text); }
inline Parameter parameter(std::int64_t value) { return std::to_string(value); }
inline Parameter parameter(int value) { return std::to_string(value); }
inline Parameter parameter(bool value) { return value ? "true" : "false"; }
inline Parameter parameter(std::nullopt_t) { return std::nullopt; }
inline Parameter parameter(const std::optional<std::string>& text) { return text; }
inline Parameter parameter(const std::optional<std::int64_t>& value) {
    return value ? Parameter(std::to_string(*value)) : std::nullopt;
}

// What a statement returned: its rows (text format) and how many rows it changed.
class Result {
public:
    explicit Result(PGresult* result) : result_(result) {}

    int rows() const { return PQntuples(result_.get()); }
    bool empty() const { return rows() == 0; }
    bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
    std::string text(int row, int column) const;
    std::optional<std::string> optional_text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    std::optional<std::int64_t> optional_integer(int row, int column) const;
    bool boolean(int row, int column) const;
    // Rows inserted, updated or deleted.
    std::int64_t affected() const;
    // The command tag: "COMMIT", "ROLLBACK", "INSERT 0 1"...
    std::string command() const { return PQcmdStatus(result_.get()); }

private:
    struct Clear {
        void operator()(PGresult* result) const { PQclear(result); }
    };
    std::unique_ptr<PGresult, Clear> result_;
};

// Herald's defaults and the operator's connection string (and password) as
// PQconnectdbParams takes them (expand_dbname 1); the strings given must
// outlive it.
struct ConnectionParameters {
    ConnectionParameters(const std::string& conninfo, const std::optional<std::string>& password);
    std::vector<const char*> keywords;
    std::vector<const char*> values;
};

// libpq's last error on `connection`, on one line.
std::string error_message(PGconn* connection);

// One libpq connection, used by one thread at a time. Every value reaches
// the server as a bound parameter. A failed statement throws StorageError
// with the server's message; a lost connection too (transient), and it is
// opened again by reconnect_if_lost(), which the backend calls before each
// commit group.
class Connection {
public:
    // `conninfo`: a libpq connection string or URI; `password`, when given,
    // overrides what it says (else libpq's PGPASSWORD or ~/.pgpass apply).
    Connection(const std::string& conninfo, const std::optional<std::string>& password);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Statements without parameters, several at once (transaction control, migrations).
    Result execute(const char* sql);
    // `sql` prepared under `name` the first time in this session, then run.
    Result run_prepared(const std::string& name, const std::string& sql, const std::vector<Parameter>& parameters);
    // Run once, unprepared (rare statements).
    Result run_once(const std::string& sql, const std::vector<Parameter>& parameters);

    bool in_transaction() const;
    // A statement failed inside the transaction: only a rollback helps now.
    bool transaction_failed() const;
    bool lost() const;
    // Opens the connection again when the server went away (its prepared
    // statements go with the old session). Throws StorageError when it cannot.
    // True when it connected again.
    bool reconnect_if_lost();
    // A name no other statement on this connection has.
    std::string next_statement_name() { return "herald_" + std::to_string(++statements_named_); }

private:
    struct Finish {
        void operator()(PGconn* connection) const { PQfinish(connection); }
    };
    Result checked(PGresult* result, std::string_view context);

    std::unique_ptr<PGconn, Finish> connection_;
    std::set<std::string> prepared_;
    int statements_named_ = 0;
};

// A statement of a repository, prepared on the connection when first run.
class Statement {
public:
    Statement(Connection& connection, std::string sql)
        : connection_(connection), name_(connection.next_statement_name()), sql_(std::move(sql)) {}

    template <class... Values>
    Result run(const Values&... values) {
        return connection_.run_prepared(name_, sql_, {parameter(values)...});
    }

private:
    Connection& connection_;
    std::string name_;
    std::string sql_;
};

// COMMIT, or StorageError when the transaction was not committed.
void commit_or_throw(Connection& connection);

// Commits on commit(), rolls back when left without it.
class Transaction {
public:
    explicit Transaction(Connection& connection) : connection_(connection) { connection_.execute("BEGIN"); }
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection& connection_;
    bool done_ = false;
};

}  // namespace herald::storage::pg
