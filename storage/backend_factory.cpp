#include "storage/backend_factory.h"

#include "storage/sqlite/sqlite_backend.h"
#include "storage/sqlite/sqlite_backup.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

void require_backend(std::string_view backend) {
    if (const auto problem = backend_problem(backend)) throw StorageError("storage.backend: " + *problem, false);
}

}  // namespace

std::optional<std::string> backend_problem(std::string_view backend) {
    if (backend == "sqlite") return std::nullopt;
    if (backend == "postgresql") return "'postgresql' is not built yet; this herald has sqlite only";
    return "'" + std::string(backend) + "' is not one of sqlite";
}

std::unique_ptr<Backend> open_backend(const StorageSettings& settings) {
    require_backend(settings.backend);
    return std::make_unique<SqliteBackend>(settings.path);
}

std::unique_ptr<Backup> backup_for(const StorageSettings& settings) {
    require_backend(settings.backend);
    return std::make_unique<SqliteBackup>(settings.path);
}

}  // namespace herald::storage
