#include "component/commands/change_http_token.h"

namespace herald::component::commands {

ChangeHttpToken::Outcome ChangeHttpToken::run(storage::Repositories& repos, const routing::Actor& actor,
                                              const Input& input) const {
    if (input.revoke) {
        service_->revoke_token(repos, actor, input.topic, input.label);
        return {input.topic, input.label, std::nullopt};
    }
    return {input.topic, input.label, service_->create_token(repos, actor, input.topic, input.label)};
}

}  // namespace herald::component::commands
