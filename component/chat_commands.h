#pragma once

#include "component/config.h"
#include "component/pubsub_service.h"
#include "component/stanza_sender.h"

namespace herald::component {

class Router;

// Commands typed in a chat with the component (help, sub, unsub, list,
// history, pause, resume, prefs), answered in chat. Every command calls the
// same PubsubService rules as the pubsub IQs and the ad-hoc commands.
class ChatCommands {
public:
    ChatCommands(StanzaSender& sender, storage::StorageWorker& storage, Router& router,
                 const PubsubService& service, const Config& config);

    // A message from a user that is not about a delivery.
    void on_message(const XmlElement& message);

private:
    StanzaSender& sender_;
    storage::StorageWorker& storage_;
    Router& router_;
    const PubsubService& service_;
    const Config& config_;
};

}  // namespace herald::component
