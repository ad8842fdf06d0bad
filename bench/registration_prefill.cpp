#include "bench/registration_prefill.h"

#include <chrono>

#include "routing/pubsub_service.h"
#include "storage/backend_factory.h"

namespace herald::bench {

void prefill_registrations(const std::filesystem::path& database, const PrefillPlan& plan) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto backend = storage::open_backend({.path = database.string()});
    auto& users = backend->repositories().users;
    auto& nodes = backend->repositories().nodes;
    backend->begin();
    if (!plan.topic.empty()) nodes.create({plan.topic, plan.topic_owner, "publishers", false, now});
    for (int i = 1; i <= plan.count; ++i) {
        const std::string jid = plan.user_prefix + std::to_string(i) + "@" + plan.domain;
        users.upsert({jid, std::nullopt, now});
        const std::string inbox = routing::PubsubService::inbox_of(jid);
        nodes.create({inbox, jid, "publishers", true, now});
        nodes.subscribe(inbox, jid, now);
        if (i <= plan.subscribed) nodes.subscribe(plan.topic, jid, now);
    }
    for (const auto& jid : plan.extra_subscribers) nodes.subscribe(plan.topic, jid, now);
    backend->commit();
}

}  // namespace herald::bench
