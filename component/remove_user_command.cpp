#include "component/remove_user_command.h"

#include <functional>
#include <ostream>

#include "component/config.h"
#include "component/jid.h"
#include "component/user_service.h"
#include "storage/storage_worker.h"

namespace herald::component {
namespace {

constexpr int kExitUsage = 64;   // EX_USAGE
constexpr int kExitNoUser = 67;  // EX_NOUSER
constexpr int kExitConfig = 78;  // EX_CONFIG
constexpr const char* kPrefix = "herald remove-user: ";
constexpr const char* kUsage = "usage: herald remove-user --config FILE JID\n";

}  // namespace

int run_remove_user(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    std::string config_path, jid;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == "--config" && i + 1 < arguments.size()) config_path = arguments[++i];
        else if (arguments[i] == "--help") return out << kUsage, 0;
        else if (jid.empty() && arguments[i].rfind("--", 0) != 0) jid = bare_jid(arguments[i]);
        else return err << kPrefix << "unexpected argument '" << arguments[i] << "'\n" << kUsage, kExitUsage;
    }
    if (config_path.empty() || jid.empty()) return err << kUsage, kExitUsage;
    const auto loaded = load_config_file(config_path, ComponentSecret::skip);
    for (const auto& error : loaded.errors) err << kPrefix << format_error(config_path, error) << "\n";
    if (!loaded.config) return kExitConfig;

    std::optional<RemovedUser> removed;
    std::exception_ptr failure;
    try {
        // Completions run on the storage thread itself: nothing else is running.
        storage::StorageWorker storage(loaded.config->database_path, [](std::function<void()> done) { done(); });
        storage.submit([&](storage::Repositories& repos) { removed = remove_user(repos, jid); },
                       [&](std::exception_ptr error) { failure = error; });
        storage.stop();
        if (failure) std::rethrow_exception(failure);
    } catch (const std::exception& error) {
        err << kPrefix << error.what() << "\n";
        return 1;
    }
    if (!removed) return err << kPrefix << jid << " is not registered\n", kExitNoUser;
    out << "removed " << jid << " and " << removed->topics.size() << " topic(s) they owned\n";
    return 0;
}

}  // namespace herald::component
