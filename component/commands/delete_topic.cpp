#include "component/commands/delete_topic.h"

#include <spdlog/spdlog.h>

namespace herald::component::commands {

DeleteTopic::Outcome DeleteTopic::run(storage::Repositories& repos, const routing::Actor& actor,
                                      const Input& input) const {
    return {input.topic, service_->delete_node(repos, actor, input.topic)};
}

void DeleteTopic::committed(const routing::Actor& actor, const Outcome& outcome) const {
    spdlog::info("{} deleted node '{}', telling {} subscribers", actor.jid, outcome.topic, outcome.subscribers.size());
    notices_->topic_deleted(outcome.topic, outcome.subscribers);
}

}  // namespace herald::component::commands
