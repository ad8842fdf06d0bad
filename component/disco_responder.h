#pragma once

#include <set>
#include <string>

#include "component/stanza_dispatcher.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::component {

// XEP-0030 on the component JID. Features are announced by the responders
// that implement them, so disco never claims what herald cannot do.
class DiscoResponder {
public:
    DiscoResponder(StanzaDispatcher& dispatcher, storage::StorageWorker& storage);
    void add_feature(std::string feature) { features_.insert(std::move(feature)); }

private:
    void info(const XmlElement& payload, IqReply reply) const;
    void items(const XmlElement& payload, IqReply reply);

    storage::StorageWorker& storage_;
    std::set<std::string> features_;
};

}  // namespace herald::component
