#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "component/stanza_dispatcher.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::component {

struct CommandListing {
    std::string node;
    std::string name;
};

// The ad-hoc commands as disco shows them; their owner knows who may run which.
class CommandCatalogue {
public:
    virtual ~CommandCatalogue() = default;
    // Calls `answer` with the commands `asker` (a full JID) may run. Not
    // calling it leaves the disco reply to its internal-server-error.
    virtual void commands_for(const std::string& asker,
                              std::function<void(std::vector<CommandListing>)> answer) = 0;
    // The command's name when `node` is a command.
    virtual std::optional<std::string> command_name(const std::string& node) const = 0;
};

// How much one disco#items answer lists of the public topics.
struct DiscoLimits {
    std::size_t page_size = 100;          // items per page, whatever a client asks for
    std::size_t max_reply_bytes = 64 * 1024;  // the items of one page stay under this
};

// XEP-0030 on the component JID. Features are announced by the responders
// that implement them, so disco never claims what herald cannot do.
class DiscoResponder {
public:
    DiscoResponder(StanzaDispatcher& dispatcher, storage::StorageWorker& storage, DiscoLimits limits = {});
    void add_feature(std::string feature) { features_.insert(std::move(feature)); }
    void set_command_catalogue(CommandCatalogue& commands) { commands_ = &commands; }

private:
    void info(const XmlElement& payload, IqReply reply) const;
    void command_info(const std::string& node, const std::string& name, IqReply reply) const;
    void items(const XmlElement& iq, const XmlElement& payload, IqReply reply);
    void command_items(const std::string& asker, IqReply reply);

    storage::StorageWorker& storage_;
    DiscoLimits limits_;
    std::set<std::string> features_;
    CommandCatalogue* commands_ = nullptr;
};

}  // namespace herald::component
