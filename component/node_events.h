#pragma once

#include <string>
#include <vector>

#include "component/stanza_sender.h"

namespace herald::component {

// Tells each former subscriber in chat that a topic is gone, with
// <node-deleted xmlns='urn:herald:0' node=''/> for programs (no pubsub#event:
// clients that would hide the message). Whatever deleted it (the owner IQ, an
// ad-hoc command) tells them the same way.
void send_node_deleted(StanzaSender& sender, const std::string& component_jid, const std::string& node,
                       const std::vector<std::string>& subscribers);

}  // namespace herald::component
