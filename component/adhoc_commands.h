#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "component/config.h"
#include "component/data_form.h"
#include "component/stanza_sender.h"
#include "routing/metrics.h"
#include "routing/rule_services.h"
#include "routing/user_notices.h"

namespace herald::routing {
class Acknowledgements;
class Router;
}  // namespace herald::routing

namespace herald::component {
class FeedGateway;

enum class CommandStatus { executing, completed, canceled };

// What a command answers at one stage: a form to fill in (executing), or
// the end (completed) with a note and maybe a result form.
struct CommandStage {
    CommandStatus status = CommandStatus::completed;
    std::optional<DataForm> form;
    std::string note;
    std::string note_type = "info";  // info, warn, error
    bool secret = false;             // shows a credential once: never logged
    // On the io thread, once the storage job is committed and before the
    // answer goes out: the command's after-commit step, then the stage as
    // rendered from its outcome (it may replace the whole stage).
    std::function<void(CommandStage&)> after_commit;

    static CommandStage ask(DataForm form);
    static CommandStage done(std::string note, std::optional<DataForm> result = std::nullopt);
    static CommandStage canceled();

    bool asks() const { return status == CommandStatus::executing; }
    // As XEP-0050 writes it.
    std::string status_name() const;
};

// One XEP-0050 command: the ad-hoc front end of a user command
// (component/commands/). `begin` and `submit` run inside a storage job, on
// the storage thread: they read the form into the command's input, run it
// and render its outcome as a stage; they refuse by throwing PubsubError.
struct AdhocCommand {
    std::string name;         // what clients list
    bool admin_only = false;  // otherwise for registered users
    std::function<CommandStage(storage::Repositories&, const routing::Actor&)> begin;
    // The form the person submitted; empty for single-stage commands.
    std::function<CommandStage(storage::Repositories&, const routing::Actor&, const DataForm&)> submit;
};

// What the commands act with once committed (router and notices: io thread only).
struct CommandContext {
    routing::RuleServices rules;
    routing::Router& router;
    routing::Metrics& metrics;
    const Config& config;
    std::chrono::steady_clock::time_point started;
    FeedGateway& feeds;
    routing::Acknowledgements& acks;
    routing::UserNotices& notices;
};

// Herald's commands, by node.
std::map<std::string, AdhocCommand> herald_commands(const CommandContext& context);

}  // namespace herald::component
