#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "component/adhoc_commands.h"
#include "component/commands/command_failure.h"
#include "component/config.h"
#include "component/disco_responder.h"
#include "component/stanza_dispatcher.h"
#include "routing/rule_services.h"

namespace herald::routing {
class Acknowledgements;
class Router;
}  // namespace herald::routing

namespace herald::component {

// XEP-0050 ad-hoc commands with XEP-0004 forms, for people in ordinary
// clients. The commands themselves (adhoc_commands.cpp) call the same
// routing::PubsubService rules as the pubsub IQs; this class speaks the protocol:
// sessions, stages, errors, and which commands disco lists for whom.
//
// Who may run what: admins (config `admins`) run stats and broadcast, with
// or without registering; every other command needs a registered user.
// Unregistered people are listed only the commands they may run (none,
// unless they are admins).
class AdhocResponder final : public CommandCatalogue {
public:
    AdhocResponder(StanzaDispatcher& dispatcher, DiscoResponder& disco, storage::StorageWorker& storage,
                   routing::Router& router, const routing::RuleServices& rules,
                   routing::Metrics& metrics, const Config& config, std::chrono::steady_clock::time_point started,
                   FeedGateway& feeds, routing::Acknowledgements& acks, routing::UserNotices& notices);

    void commands_for(const std::string& asker,
                      std::function<void(std::vector<CommandListing>)> answer) override;
    std::optional<std::string> command_name(const std::string& node) const override;

    static constexpr auto kSessionLifetime = std::chrono::minutes(10);
    static constexpr std::size_t kMaxSessions = 10000;
    static constexpr std::size_t kMaxSessionsPerRequester = 5;

private:
    using Clock = std::chrono::steady_clock;

    // A multi-stage command waiting for its form, for one full JID.
    struct Session {
        std::string requester;
        std::string node;
        Clock::time_point expires;
    };

    struct Request {
        std::string requester;  // full JID
        routing::Actor actor;
        std::string node;
        std::string session_id;
        const AdhocCommand* command = nullptr;
    };

    using Work = std::function<CommandStage(storage::Repositories&)>;
    using Adjust = std::function<void(CommandStage&)>;
    using Failed = std::function<void(const commands::CommandFailure&, std::shared_ptr<IqReply>)>;

    void on_command(const XmlElement& iq, const XmlElement& command, IqReply reply);
    void start(Request request, const std::string& action, IqReply reply);
    void resume(Request request, const std::string& action, const XmlElement& command, IqReply reply);
    void submit(Request request, DataForm submitted, IqReply reply);
    void show_again(Request request, DataForm submitted, std::string problem, std::shared_ptr<IqReply> reply);

    // Runs `work` in a storage job; once committed, runs the stage's
    // after_commit and `adjust`, keeps the session if the command goes on,
    // and answers.
    // `failed` (or, when empty, the usual stanza error) answers a refusal.
    void run(Request request, Work work, std::shared_ptr<IqReply> reply, Adjust adjust, Failed failed);
    // The command's own refusals: registration, admin.
    Work guarded(const Request& request, Work work) const;
    XmlElement answer_for(const Request& request, const CommandStage& stage) const;

    std::string new_session_id();
    void keep_session(const Request& request);
    void forget_expired_sessions();

    storage::StorageWorker& storage_;
    const Config& config_;
    std::map<std::string, AdhocCommand> commands_;
    std::map<std::string, Session> sessions_;
};

}  // namespace herald::component
