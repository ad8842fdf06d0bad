#pragma once

#include <string>
#include <vector>

#include "component/stanza_sender.h"

namespace herald::component {

// Tells each former subscriber that a topic is gone (XEP-0060 §8.4.2: a
// pubsub event carrying <delete/>). Whatever deleted it (the owner IQ, an
// ad-hoc command) tells them the same way.
void send_node_deleted(StanzaSender& sender, const std::string& component_jid, const std::string& node,
                       const std::vector<std::string>& subscribers);

}  // namespace herald::component
