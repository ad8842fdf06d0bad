#include "component/commands/user_command.h"

#include <algorithm>

#include "text/jid.h"

namespace herald::component::commands {

routing::Actor actor_of(const std::string& from, const std::vector<std::string>& admins) {
    routing::Actor actor{text::bare_jid(from)};
    actor.admin = std::find(admins.begin(), admins.end(), actor.jid) != admins.end();
    return actor;
}

}  // namespace herald::component::commands
