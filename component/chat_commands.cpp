#include "component/chat_commands.h"

namespace herald::component {

ChatCommands::ChatCommands(StanzaSender& sender, storage::StorageWorker& storage, Router& router,
                           const PubsubService& service, const Config& config)
    : sender_(sender), storage_(storage), router_(router), service_(service), config_(config) {}

void ChatCommands::on_message(const XmlElement&) {}

}  // namespace herald::component
