#include "storage/postgresql/connection.h"

#include <charconv>

#include "storage/storage_error.h"

namespace herald::storage::pg {
namespace {

// A statement as an error message names it: its start, on one line.
std::string statement_context(std::string_view sql) {
    std::string context;
    for (const char c : sql) {
        if (context.size() >= 60) return context + "...";
        if (c == '\n' || c == ' ') {
            if (!context.empty() && context.back() != ' ') context += ' ';
        } else {
            context += c;
        }
    }
    return context;
}

std::string trimmed(std::string message) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return message;
}

// SQLSTATE classes: 08 connection, 23 integrity constraint, 40 transaction
// rollback (serialization, deadlock), 53 insufficient resources (53100 disk
// full), 55P03 lock not available, 57P01..03 the server shutting down.
StorageError error_for(std::string_view sqlstate, std::string message, bool connection_lost) {
    const auto is = [&](std::string_view prefix) { return sqlstate.substr(0, prefix.size()) == prefix; };
    if (connection_lost || is("08") || is("57P")) return StorageError(message, true);
    if (is("53100")) return StorageError(message, true, StorageError::Kind::full);
    if (is("53")) return StorageError(message, true);
    if (is("40") || is("55P03")) return StorageError(message, true, StorageError::Kind::busy);
    if (is("23")) return StorageError(message, false, StorageError::Kind::constraint);
    return StorageError(message, false);
}

}  // namespace

std::string Result::text(int row, int column) const {
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> Result::optional_text(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return text(row, column);
}

std::int64_t Result::integer(int row, int column) const {
    if (is_null(row, column)) return 0;
    const char* value = PQgetvalue(result_.get(), row, column);
    const char* end = value + PQgetlength(result_.get(), row, column);
    std::int64_t number = 0;
    if (std::from_chars(value, end, number).ec != std::errc())
        throw StorageError(std::string("not a whole number: ") + value, false);
    return number;
}

std::optional<std::int64_t> Result::optional_integer(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return integer(row, column);
}

bool Result::boolean(int row, int column) const {
    return !is_null(row, column) && PQgetvalue(result_.get(), row, column)[0] == 't';
}

std::int64_t Result::affected() const {
    const char* count = PQcmdTuples(result_.get());
    std::int64_t number = 0;
    std::from_chars(count, count + std::char_traits<char>::length(count), number);
    return number;
}

// dbname is read as the whole connection string (expand_dbname); what
// comes before it are defaults it may override, what comes after overrides it.
// The defaults bound how long a thread can wait on a server or network that
// went silent: connecting, a dead TCP peer (keepalives, unacknowledged
// data), a lock held elsewhere, one statement.
ConnectionParameters::ConnectionParameters(const std::string& conninfo, const std::optional<std::string>& password)
    : keywords{"application_name", "client_encoding",  "connect_timeout", "keepalives", "keepalives_idle",
               "keepalives_interval", "keepalives_count", "tcp_user_timeout", "options", "dbname"},
      values{"herald", "UTF8", "10", "1", "30", "10", "3", "60000", "-c lock_timeout=30s -c statement_timeout=300s",
             conninfo.c_str()} {
    if (password) {
        keywords.push_back("password");
        values.push_back(password->c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
}

std::string error_message(PGconn* connection) { return trimmed(PQerrorMessage(connection)); }

Connection::Connection(const std::string& conninfo, const std::optional<std::string>& password) {
    const ConnectionParameters parameters(conninfo, password);
    connection_.reset(PQconnectdbParams(parameters.keywords.data(), parameters.values.data(), 1));
    if (!connection_) throw StorageError("cannot connect to PostgreSQL: out of memory", true);
    if (PQstatus(connection_.get()) != CONNECTION_OK)
        throw StorageError("cannot connect to PostgreSQL: " + error_message(connection_.get()), true);
    // Notices (e.g. "there is no transaction in progress") are not errors.
    PQsetNoticeProcessor(connection_.get(), [](void*, const char*) {}, nullptr);
}

Result Connection::checked(PGresult* raw, std::string_view context) {
    Result result(raw);
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    const char* sqlstate = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = raw ? PQresultErrorMessage(raw) : "";
    if (message.empty()) message = PQerrorMessage(connection_.get());
    throw error_for(sqlstate ? sqlstate : "", statement_context(context) + ": " + trimmed(message), lost());
}

Result Connection::execute(const char* sql) { return checked(PQexec(connection_.get(), sql), sql); }

Result Connection::run_prepared(const std::string& name, const std::string& sql,
                                const std::vector<Parameter>& parameters) {
    if (!prepared_.contains(name)) {
        checked(PQprepare(connection_.get(), name.c_str(), sql.c_str(), 0, nullptr), sql);
        prepared_.insert(name);
    }
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& value : parameters) values.push_back(value ? value->c_str() : nullptr);
    return checked(PQexecPrepared(connection_.get(), name.c_str(), static_cast<int>(values.size()), values.data(),
                                  nullptr, nullptr, 0),
                   sql);
}

Result Connection::run_once(const std::string& sql, const std::vector<Parameter>& parameters) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& value : parameters) values.push_back(value ? value->c_str() : nullptr);
    return checked(PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, 0),
                   sql);
}

bool Connection::in_transaction() const { return PQtransactionStatus(connection_.get()) != PQTRANS_IDLE; }

bool Connection::transaction_failed() const { return PQtransactionStatus(connection_.get()) == PQTRANS_INERROR; }

bool Connection::lost() const { return PQstatus(connection_.get()) == CONNECTION_BAD; }

bool Connection::reconnect_if_lost() {
    if (!lost()) return false;
    prepared_.clear();
    PQreset(connection_.get());
    if (lost())
        throw StorageError("cannot reconnect to PostgreSQL: " + trimmed(PQerrorMessage(connection_.get())), true);
    return true;
}

Transaction::~Transaction() {
    if (!done_ && !connection_.lost() && connection_.in_transaction()) {
        try {
            connection_.execute("ROLLBACK");
        } catch (const StorageError&) {
            // The server went away: nothing of the transaction was kept.
        }
    }
}

void Transaction::commit() {
    commit_or_throw(connection_);
    done_ = true;
}

// PostgreSQL answers COMMIT of a transaction in which a statement failed
// with a rollback, not an error: that must not pass for a commit.
void commit_or_throw(Connection& connection) {
    if (connection.transaction_failed()) {
        connection.execute("ROLLBACK");
        throw StorageError("COMMIT: a statement of the transaction failed; it was rolled back", false);
    }
    if (const auto done = connection.execute("COMMIT"); done.command() != "COMMIT")
        throw StorageError("COMMIT: the server answered " + done.command(), false);
}

}  // namespace herald::storage::pg
