#include "storage/backend_factory.h"

#include <fstream>

#include "storage/postgresql/postgresql_backend.h"
#include "storage/postgresql/postgresql_backup.h"
#include "storage/postgresql/queue_listener.h"
#include "storage/sqlite/sqlite_backend.h"
#include "storage/sqlite/sqlite_backup.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

void require_backend(std::string_view backend) {
    if (const auto problem = backend_problem(backend)) throw StorageError("storage.backend: " + *problem, false);
}

}  // namespace

std::optional<std::string> postgresql_password(const StorageSettings& settings) {
    const auto& file = settings.postgresql_password_file;
    if (file.empty()) return std::nullopt;
    std::ifstream in(file);
    std::string password;
    if (!in || !std::getline(in, password))
        throw StorageError("storage.postgresql.password_file: cannot read " + file, false);
    if (!password.empty() && password.back() == '\r') password.pop_back();  // a file written on Windows
    return password;
}

std::optional<std::string> backend_problem(std::string_view backend) {
    if (backend == "sqlite" || backend == "postgresql") return std::nullopt;
    return "'" + std::string(backend) + "' is not one of sqlite, postgresql";
}

std::unique_ptr<Backend> open_backend(const StorageSettings& settings) {
    require_backend(settings.backend);
    if (settings.backend == "postgresql") {
        if (settings.postgresql_connection.empty())
            throw StorageError("storage.postgresql.connection is required with backend postgresql", false);
        return std::make_unique<PostgresqlBackend>(settings.postgresql_connection, postgresql_password(settings),
                                                   settings.sole_instance,
                                                   InstanceIdentity{settings.instance, settings.dead_after_ms});
    }
    return std::make_unique<SqliteBackend>(settings.path);
}

std::unique_ptr<QueueChangeFeed> watch_queue_changes(boost::asio::io_context& io, const StorageSettings& settings,
                                                     std::function<void(const QueueChange&)> changed) {
    if (settings.backend != "postgresql" || settings.instance.empty()) return nullptr;
    return std::make_unique<pg::QueueListener>(io, settings.postgresql_connection, postgresql_password(settings),
                                               settings.instance, std::move(changed));
}

std::unique_ptr<Backup> backup_for(const StorageSettings& settings) {
    require_backend(settings.backend);
    if (settings.backend == "postgresql") return std::make_unique<PostgresqlBackup>();
    return std::make_unique<SqliteBackup>(settings.path);
}

}  // namespace herald::storage
