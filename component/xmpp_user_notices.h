#pragma once

#include <string>
#include <vector>

#include "component/stanza_sender.h"
#include "routing/user_notices.h"

namespace herald::component {

// The services' notices as the stanzas Herald sends from `component_jid`.
class XmppUserNotices final : public routing::UserNotices {
public:
    XmppUserNotices(StanzaSender& sender, std::string component_jid)
        : sender_(sender), component_jid_(std::move(component_jid)) {}

    void ask_presence(const std::string& bare_jid) override;
    void say_goodbye(const std::string& bare_jid) override;
    void say(const std::string& jid, const std::string& text) override;
    void topic_deleted(const std::string& node, const std::vector<std::string>& subscribers) override;
    void acknowledged(const std::string& to, const storage::Item& item, AckAudience audience) override;

private:
    StanzaSender& sender_;
    std::string component_jid_;
};

}  // namespace herald::component
