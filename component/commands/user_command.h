#pragma once

#include <concepts>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "routing/pubsub_service.h"
#include "storage/storage_worker.h"

namespace herald::component::commands {

// One user operation, written once for the ad-hoc (XEP-0050) and the chat
// front end. A command is a small copyable class with
//   Input, Outcome                         what it is asked, what it did, as data
//   Outcome run(repos, actor, input) const in the storage job, on the storage
//                                          thread: repositories and routing
//                                          rules only; refuses by throwing
//                                          routing::PubsubError
//   void committed(actor, outcome) const   optional: on the io thread, once the
//                                          job is committed, before the answer;
//                                          tells the router and the others, or
//                                          adds what only the io thread knows
// The front ends only turn a form or a line into Input and Outcome into a
// form, a note or a text.
template <class Command>
concept UserCommand = requires(const Command& command, storage::Repositories& repos, const routing::Actor& actor,
                               const typename Command::Input& input) {
    { command.run(repos, actor, input) } -> std::same_as<typename Command::Outcome>;
};

// Who runs a command sent from `from`: its bare JID, an admin when `admins` names it.
routing::Actor actor_of(const std::string& from, const std::vector<std::string>& admins);

// A command with an after-commit step; it may add to the outcome what only
// the io thread knows.
template <class Command>
concept CommitsAfter = UserCommand<Command> &&
    requires(const Command& command, const routing::Actor& actor, typename Command::Outcome& outcome) {
        command.committed(actor, outcome);
    };

// The command's after-commit step, when it has one.
template <UserCommand Command>
void after_commit(const Command& command, const routing::Actor& actor, typename Command::Outcome& outcome) {
    if constexpr (CommitsAfter<Command>) command.committed(actor, outcome);
}

// Runs `command` in a storage job of its own; on the io thread, once
// committed, its after-commit step and then `done`, or `failed` with why not.
template <UserCommand Command>
void submit(storage::StorageWorker& storage, Command command, routing::Actor actor, typename Command::Input input,
            std::function<void(typename Command::Outcome&)> done, std::function<void(std::exception_ptr)> failed) {
    using Outcome = typename Command::Outcome;
    storage.submit<Outcome>(
        [command, actor, input = std::move(input)](storage::Repositories& repos) {
            return command.run(repos, actor, input);
        },
        [command, actor, done = std::move(done), failed = std::move(failed)](std::optional<Outcome> outcome,
                                                                            std::exception_ptr error) {
            if (error) return failed(error);
            after_commit(command, actor, *outcome);
            done(*outcome);
        });
}

}  // namespace herald::component::commands
