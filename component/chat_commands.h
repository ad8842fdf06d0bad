#pragma once

#include <functional>
#include <map>
#include <string>

#include "component/commands/user_command.h"
#include "component/config.h"
#include "component/stanza_sender.h"
#include "routing/rule_services.h"
#include "routing/user_notices.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component {
class FeedGateway;

// The chat front end of the user commands (component/commands/): reads a
// line typed in a chat with the component (help, sub, unsub, list, history,
// pause, resume, prefs, feed, topic, unregister) into a command's input and
// answers in chat with its outcome as text.
class ChatCommands {
public:
    ChatCommands(StanzaSender& sender, routing::UserNotices& notices, storage::StorageWorker& storage, routing::Router& router,
                 const routing::RuleServices& rules, const Config& config, FeedGateway& feeds);

    // A message from a user that is not about a delivery.
    void on_message(const XmlElement& message);

private:
    struct Request {
        routing::Actor actor;
        std::string reply_to;  // the sender's full JID
        std::string argument;  // the line after the command word
    };
    using Handler = void (ChatCommands::*)(const Request&);

    void help(const Request& request);
    void subscribe(const Request& request);
    void unsubscribe(const Request& request);
    void list(const Request& request);
    void history(const Request& request);
    void pause(const Request& request);
    void resume(const Request& request);
    void preferences(const Request& request);
    void feed(const Request& request);
    void add_feed(const Request& request, const std::string& argument);
    void remove_feed(const Request& request, const std::string& argument);
    void unregister(const Request& request);
    void topic(const Request& request);

    void set_paused(const Request& request, bool paused);
    void show_preferences(const Request& request);
    void change_preferences(const Request& request);

    // Runs `command` and answers with what `render` makes of its outcome,
    // or with why not.
    template <commands::UserCommand Command>
    void run(const Request& request, Command command, typename Command::Input input,
             std::function<std::string(typename Command::Outcome&)> render);
    void refused(const std::string& to, std::exception_ptr error);
    void reply(const std::string& to, const std::string& text);

    StanzaSender& sender_;
    routing::UserNotices& notices_;
    storage::StorageWorker& storage_;
    routing::Router& router_;
    routing::RuleServices rules_;
    const Config& config_;
    FeedGateway& feeds_;
    std::map<std::string, Handler> handlers_;
};

}  // namespace herald::component
