#include "component/admin_command.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>

#include "component/config.h"
#include "routing/user_service.h"
#include "storage/backend_factory.h"
#include "storage/sqlite_to_postgresql.h"
#include "storage/storage_error.h"
#include "storage/storage_worker.h"
#include "text/clock.h"
#include "text/jid.h"
#include "tools/exit_code.h"

namespace herald::component {

using herald::text::now_ms;
using herald::text::utc_stamp;
using herald::text::bare_jid;

using herald::routing::RemovedUser;
using herald::routing::remove_user;

namespace {

// Keys in the order written: the record's identity first.
using json = nlohmann::ordered_json;
using ingest::ExitCode;

constexpr const char* kPrefix = "herald admin: ";
constexpr const char* kUsage = R"(usage: herald admin --config FILE COMMAND [ARGUMENTS] [--json]

  list-users            registered users, with subscriptions and queue depth
  show-user JID         registration, subscriptions, owned topics, queue, preferences
  remove-user JID       remove a user and all that is theirs (nobody is told)
  list-topics           topics with owner, subscribers and queue depth
  show-queue JID        what waits for a user, oldest first
  list-set-aside        deliveries set aside as not deliverable, with their IDs
  requeue ID|--all      put set-aside deliveries back in their users' queues
  drop ID|--all         record set-aside deliveries as dropped
  stats                 the service's counts
  backup FILE           online copy of the database (herald may run)
  check-backup FILE     can herald start on FILE? integrity, schema, counts
  migrate-to-postgresql SQLITE_FILE
                        copy every row of a SQLite database (herald stopped) into
                        the configured, empty PostgreSQL database, in one transaction

Exit codes (sysexits): 0 ok, 64 usage, 65 bad data (unknown ID, failed
check), 66 no database or file, 67 no such user, 69 database unusable,
70 internal error, 73 cannot create, 74 I/O error, 75 busy (try again),
78 configuration errors.
)";

// A set-aside delivery's ID, as list-set-aside prints it: "SEQ:JID".
std::string delivery_id(const storage::QueueEntry& entry) { return std::to_string(entry.seq) + ":" + entry.user; }

std::optional<storage::DeliveryKey> parse_delivery_id(const std::string& id) {
    const auto colon = id.find(':');
    if (colon == 0 || colon == std::string::npos || colon + 1 == id.size()) return std::nullopt;
    if (colon > 18 || id.find_first_not_of("0123456789") < colon) return std::nullopt;
    return storage::DeliveryKey{bare_jid(id.substr(colon + 1)), std::stoll(id.substr(0, colon))};
}

json optional_value(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }
json optional_time(const std::optional<std::int64_t>& ms) { return ms ? json(utc_stamp(*ms)) : json(nullptr); }

json entry_json(const storage::QueueEntry& entry, bool set_aside) {
    json row = set_aside ? json{{"id", delivery_id(entry)}, {"user", entry.user}} : json::object();
    row.update(json{{"seq", entry.seq},
                    {"topic", entry.node},
                    {"item", entry.item_id},
                    {"title", entry.title},
                    {"priority", entry.priority},
                    {"published", utc_stamp(entry.published_ms)},
                    {"expires", optional_time(entry.expires_ms)}});
    if (set_aside) row["set_aside"] = utc_stamp(entry.at_ms);
    return row;
}

json user_json(const storage::UserSummary& user) {
    return {{"jid", user.jid},
            {"email", optional_value(user.email)},
            {"registered", utc_stamp(user.registered_at * 1000)},
            {"subscriptions", user.subscriptions},
            {"queued", user.queued},
            {"set_aside", user.set_aside}};
}

json preferences_json(const storage::Preferences& preferences) {
    return {{"message_type", optional_value(preferences.message_type)},
            {"dnd_holds", preferences.dnd_holds},
            {"quiet_start", optional_value(preferences.quiet_start)},
            {"quiet_end", optional_value(preferences.quiet_end)},
            {"quiet_zone", optional_value(preferences.quiet_zone)},
            {"escalation_channel", preferences.escalation_channel},
            {"escalation_minutes", preferences.escalation_minutes},
            {"escalation_target", optional_value(preferences.escalation_target)},
            {"escalation_min_priority", preferences.escalation_min_priority},
            {"paused", preferences.paused}};
}

// Plain text from the JSON answer: scalars as "key: value", lists of
// records as aligned tables.
std::string scalar_text(const json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

void print_table(std::ostream& out, const json& rows, const std::string& indent) {
    if (rows.empty()) return void(out << indent << "(none)\n");
    std::vector<std::string> columns;
    for (const auto& [key, value] : rows.front().items()) columns.push_back(key);
    std::vector<std::size_t> widths;
    for (const auto& column : columns) {
        std::size_t width = column.size();
        for (const auto& row : rows) width = std::max(width, scalar_text(row[column]).size());
        widths.push_back(width);
    }
    auto line = [&](auto cell) {
        out << indent;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const std::string text = cell(i);
            out << text << (i + 1 < columns.size() ? std::string(widths[i] - text.size() + 2, ' ') : "");
        }
        out << "\n";
    };
    line([&](std::size_t i) { return columns[i]; });
    for (const auto& row : rows) line([&](std::size_t i) { return scalar_text(row[columns[i]]); });
}

void print_text(std::ostream& out, const json& answer, const std::string& indent = "") {
    if (answer.is_array()) return print_table(out, answer, indent);
    for (const auto& [key, value] : answer.items()) {
        if (value.is_object()) {
            out << indent << key << ":\n";
            print_text(out, value, indent + "  ");
        } else if (value.is_array() && !value.empty() && value.front().is_object()) {
            out << indent << key << ":\n";
            print_table(out, value, indent + "  ");
        } else if (value.is_array()) {
            std::string joined;
            for (const auto& element : value) joined += (joined.empty() ? "" : ", ") + scalar_text(element);
            out << indent << key << ": " << (joined.empty() ? "(none)" : joined) << "\n";
        } else {
            out << indent << key << ": " << scalar_text(value) << "\n";
        }
    }
}

class AdminSession {
public:
    AdminSession(const Config& config, std::vector<std::string> arguments, std::ostream& out, bool json_output)
        : config_(config), arguments_(std::move(arguments)), out_(out), json_(json_output) {}

    const std::string& argument(std::size_t index) const { return arguments_.at(index); }

    storage::StorageSettings storage() const { return storage_settings(config_); }
    bool on_sqlite() const { return config_.storage.backend == "sqlite"; }
    // An admin command never creates a database (a PostgreSQL one is the operator's).
    storage::StorageSettings existing_storage() const {
        if (on_sqlite() && !std::filesystem::exists(config_.storage.path))
            throw Failure{ExitCode::no_input, config_.storage.path + ": no such database"};
        return storage();
    }
    // The configured database, opened once.
    storage::Backend& backend() {
        if (!backend_) backend_ = storage::open_backend(existing_storage());
        return *backend_;
    }
    storage::AdminQueries& queries() { return backend().admin(); }
    const Config& config() const { return config_; }

    int answer(const json& value) {
        if (json_) out_ << value.dump(2) << "\n";
        else print_text(out_, value);
        return 0;
    }

    struct Failure {
        ExitCode code;
        std::string message;
    };

private:
    const Config& config_;
    std::vector<std::string> arguments_;
    std::ostream& out_;
    bool json_;
    std::unique_ptr<storage::Backend> backend_;
};

using Failure = AdminSession::Failure;

int list_users(AdminSession& session) {
    json users = json::array();
    for (const auto& user : session.queries().users()) users.push_back(user_json(user));
    return session.answer(users);
}

storage::UserDetail registered(AdminSession& session, const std::string& jid) {
    auto detail = session.queries().user(jid);
    if (!detail) throw Failure{ExitCode::no_user, jid + " is not registered"};
    return *detail;
}

int show_user(AdminSession& session) {
    const auto detail = registered(session, bare_jid(session.argument(0)));
    json user = user_json(detail.summary);
    user["away_since"] = optional_time(detail.away_since_ms);
    user["subscribed"] = detail.subscribed;
    user["owned_topics"] = detail.owned_topics;
    user["preferences"] = preferences_json(session.backend().repositories().users.preferences(detail.summary.jid));
    return session.answer(user);
}

int remove_user_command(AdminSession& session) {
    const auto jid = bare_jid(session.argument(0));
    std::optional<RemovedUser> removed;
    std::exception_ptr failure;
    {
        // Completions run on the storage thread itself: nothing else is running.
        storage::StorageWorker storage(storage::open_backend(session.existing_storage()),
                                       [](std::function<void()> done) { done(); });
        storage.submit([&](storage::Repositories& repos) { removed = remove_user(repos, jid); },
                       [&](std::exception_ptr error) { failure = error; });
        storage.stop();
    }
    if (failure) std::rethrow_exception(failure);
    if (!removed) throw Failure{ExitCode::no_user, jid + " is not registered"};
    json topics = json::array();
    for (const auto& topic : removed->topics) topics.push_back(topic.node);
    return session.answer({{"removed", jid}, {"topics", topics}});
}

int list_topics(AdminSession& session) {
    json topics = json::array();
    for (const auto& topic : session.queries().topics())
        topics.push_back({{"topic", topic.name},
                          {"owner", topic.owner},
                          {"model", topic.publish_model},
                          {"subscribers", topic.subscribers},
                          {"queued", topic.queued},
                          {"items", topic.items}});
    return session.answer(topics);
}

int show_queue(AdminSession& session) {
    const auto detail = registered(session, bare_jid(session.argument(0)));
    json entries = json::array();
    for (const auto& entry : session.queries().queue(detail.summary.jid)) entries.push_back(entry_json(entry, false));
    return session.answer(entries);
}

int list_set_aside(AdminSession& session) {
    json entries = json::array();
    for (const auto& entry : session.queries().set_aside()) entries.push_back(entry_json(entry, true));
    return session.answer(entries);
}

// requeue and drop: one ID or --all.
std::optional<storage::DeliveryKey> delivery_argument(AdminSession& session) {
    if (session.argument(0) == "--all") return std::nullopt;
    const auto key = parse_delivery_id(session.argument(0));
    if (!key) throw Failure{ExitCode::usage, "'" + session.argument(0) + "' is no ID (SEQ:JID, see list-set-aside)"};
    return key;
}

int settle_set_aside(AdminSession& session, const char* verb,
                     const std::function<std::int64_t(const std::optional<storage::DeliveryKey>&)>& change) {
    const auto key = delivery_argument(session);
    const auto changed = change(key);
    if (key && changed == 0) throw Failure{ExitCode::data_error, "no set-aside delivery " + session.argument(0)};
    return session.answer({{verb, changed}});
}

int requeue(AdminSession& session) {
    return settle_set_aside(session, "requeued", [&](const auto& key) { return session.queries().requeue(key); });
}

int drop(AdminSession& session) {
    return settle_set_aside(session, "dropped", [&](const auto& key) { return session.queries().drop(key, now_ms()); });
}

int stats(AdminSession& session) {
    json counts = json::object();
    for (const auto& [name, value] : session.queries().stats()) counts[name] = value;
    counts["schema version"] = session.queries().schema_version();
    std::error_code ignored;
    if (session.on_sqlite()) counts["database bytes"] = std::filesystem::file_size(session.config().storage.path, ignored);
    return session.answer(counts);
}

int backup(AdminSession& session) {
    const auto pages = storage::backup_for(session.existing_storage())->copy_to(session.argument(0));
    return session.answer({{"backup", session.argument(0)}, {"pages", pages}});
}

int check_backup(AdminSession& session) {
    const auto check = storage::backup_for(session.storage())->check(session.argument(0));
    json counts = json::object();
    for (const auto& [name, value] : check.counts) counts[name] = value;
    session.answer({{"file", session.argument(0)},
                    {"restorable", check.problems.empty()},
                    {"schema version", check.schema_version},
                    {"expected schema version", check.expected_schema_version},
                    {"problems", check.problems},
                    {"counts", counts}});
    return check.problems.empty() ? 0 : exit_status(ExitCode::data_error);
}

int migrate_to_postgresql(AdminSession& session) {
    if (session.on_sqlite())
        throw Failure{ExitCode::config, "migrate-to-postgresql copies into the configured PostgreSQL database: set "
                                        "storage.backend: postgresql and storage.postgresql.connection first"};
    if (!std::filesystem::is_regular_file(session.argument(0)))
        throw Failure{ExitCode::no_input, session.argument(0) + ": no such database file"};
    json rows = json::object();
    for (const auto& [table, count] : storage::copy_sqlite_to_postgresql(session.argument(0), session.storage()))
        rows[table] = count;
    return session.answer({{"copied from", session.argument(0)}, {"rows", rows}});
}

struct Command {
    std::size_t arguments;
    std::function<int(AdminSession&)> run;
};

const std::map<std::string, Command>& commands() {
    static const std::map<std::string, Command> table = {
        {"list-users", {0, list_users}},     {"show-user", {1, show_user}},
        {"remove-user", {1, remove_user_command}}, {"list-topics", {0, list_topics}},
        {"show-queue", {1, show_queue}},     {"list-set-aside", {0, list_set_aside}},
        {"requeue", {1, requeue}},           {"drop", {1, drop}},
        {"stats", {0, stats}},               {"backup", {1, backup}},
        {"check-backup", {1, check_backup}}, {"migrate-to-postgresql", {1, migrate_to_postgresql}},
    };
    return table;
}

ExitCode backup_exit(storage::BackupError::Kind kind) {
    switch (kind) {
        case storage::BackupError::Kind::no_input: return ExitCode::no_input;
        case storage::BackupError::Kind::cannot_create: return ExitCode::cannot_create;
        case storage::BackupError::Kind::busy: return ExitCode::temporary_failure;
        case storage::BackupError::Kind::io: break;
    }
    return ExitCode::io_error;
}

ExitCode storage_exit(const storage::StorageError& error) {
    if (error.kind() == storage::StorageError::Kind::busy) return ExitCode::temporary_failure;
    return error.kind() == storage::StorageError::Kind::full ? ExitCode::io_error : ExitCode::unavailable;
}

}  // namespace

int run_admin(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    std::string config_path;
    bool json_output = false;
    std::vector<std::string> words;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == "--config" && i + 1 < arguments.size()) config_path = arguments[++i];
        else if (arguments[i] == "--json") json_output = true;
        else if (arguments[i] == "--help" || arguments[i] == "-h") return out << kUsage, 0;
        else if (arguments[i].rfind("--", 0) == 0 && arguments[i] != "--all")
            return err << kPrefix << "unknown option '" << arguments[i] << "'\n" << kUsage, exit_status(ExitCode::usage);
        else words.push_back(arguments[i]);
    }
    if (words.empty()) return err << kUsage, exit_status(ExitCode::usage);
    const auto command = commands().find(words.front());
    if (command == commands().end())
        return err << kPrefix << "unknown command '" << words.front() << "'\n" << kUsage, exit_status(ExitCode::usage);
    if (config_path.empty() || words.size() != command->second.arguments + 1)
        return err << kPrefix << "wrong arguments for " << words.front() << "\n" << kUsage,
               exit_status(ExitCode::usage);

    const auto loaded = load_config_file(config_path, ComponentSecret::skip);
    for (const auto& error : loaded.errors) err << kPrefix << format_error(config_path, error) << "\n";
    if (!loaded.config) return exit_status(ExitCode::config);

    AdminSession session(*loaded.config, {words.begin() + 1, words.end()}, out, json_output);
    auto fail = [&](ExitCode code, const std::string& message) {
        err << kPrefix << message << "\n";
        return exit_status(code);
    };
    try {
        return command->second.run(session);
    } catch (const Failure& failure) {
        return fail(failure.code, failure.message);
    } catch (const storage::BackupError& error) {
        return fail(backup_exit(error.kind()), error.what());
    } catch (const storage::StorageError& error) {
        return fail(storage_exit(error), error.what());
    } catch (const std::exception& error) {
        return fail(ExitCode::software, error.what());
    }
}

}  // namespace herald::component
