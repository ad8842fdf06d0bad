#include "component/adhoc_responder.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <set>
#include <utility>

#include "component/commands/command_failure.h"
#include "component/commands/user_command.h"
#include "component/namespaces.h"
#include "component/notification_payload.h"
#include "text/jid.h"

namespace herald::component {

using herald::text::is_user_jid;

using herald::routing::Acknowledgements;
using herald::routing::Metrics;
using herald::routing::PubsubError;
using herald::routing::PubsubService;
using herald::routing::Router;

namespace {

const std::set<std::string, std::less<>> kActions = {"execute", "next", "complete", "prev", "cancel"};

XmlElement commands_condition(const std::string& condition) { return XmlElement(condition, ns::kCommands); }

// "quiet hours end must be HH:MM" -> "Quiet hours end must be HH:MM."
std::string sentence(std::string text) {
    if (text.empty()) return text;
    text.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(text.front())));
    if (text.back() != '.') text += '.';
    return text;
}

}  // namespace

AdhocResponder::AdhocResponder(StanzaDispatcher& dispatcher, DiscoResponder& disco, storage::StorageWorker& storage,
                               Router& router, const routing::RuleServices& rules, Metrics& metrics, const Config& config,
                               std::chrono::steady_clock::time_point started, FeedGateway& feeds,
                               Acknowledgements& acks, routing::UserNotices& notices)
    : storage_(storage), config_(config),
      commands_(herald_commands(CommandContext{rules, router, metrics, config, started, feeds, acks, notices})) {
    disco.add_feature(ns::kCommands);
    disco.set_command_catalogue(*this);
    dispatcher.handle_iq("set", ns::kCommands, [this](const XmlElement& iq, const XmlElement& payload, IqReply reply) {
        on_command(iq, payload, std::move(reply));
    });
}

void AdhocResponder::commands_for(const std::string& asker,
                                  std::function<void(std::vector<CommandListing>)> answer) {
    const auto actor = commands::actor_of(asker, config_.admins);
    storage_.submit<bool>(
        [jid = actor.jid](storage::Repositories& repos) { return repos.users.find(jid).has_value(); },
        [this, admin = actor.admin, answer = std::move(answer)](std::optional<bool> registered,
                                                               std::exception_ptr error) {
            if (error) return;
            std::vector<CommandListing> listing;
            for (const auto& [node, command] : commands_)
                if (command.admin_only ? admin : *registered) listing.push_back({node, command.name});
            answer(std::move(listing));
        });
}

std::optional<std::string> AdhocResponder::command_name(const std::string& node) const {
    const auto command = commands_.find(node);
    if (command == commands_.end()) return std::nullopt;
    return command->second.name;
}

void AdhocResponder::on_command(const XmlElement& iq, const XmlElement& payload, IqReply reply) {
    const auto& from = iq.attr("from");
    if (!is_user_jid(from) || payload.name() != "command") {
        reply.error("modify", "bad-request");
        return;
    }
    const auto command = commands_.find(payload.attr("node"));
    if (command == commands_.end()) {
        reply.error("cancel", "item-not-found");
        return;
    }
    const auto action = payload.has_attr("action") ? payload.attr("action") : std::string("execute");
    if (!kActions.contains(action)) {
        reply.error("modify", "bad-request", commands_condition("malformed-action"));
        return;
    }
    Request request{from, commands::actor_of(from, config_.admins), command->first, payload.attr("sessionid"),
                    &command->second};
    if (request.command->admin_only && !request.actor.admin) {
        reply.error("auth", "forbidden");
        return;
    }
    spdlog::debug("ad-hoc '{}' {} from {}", request.node, action, from);
    if (request.session_id.empty()) start(std::move(request), action, std::move(reply));
    else resume(std::move(request), action, payload, std::move(reply));
}

void AdhocResponder::start(Request request, const std::string& action, IqReply reply) {
    if (action != "execute") {
        reply.error("modify", "bad-request", commands_condition("bad-action"));
        return;
    }
    forget_expired_sessions();
    if (sessions_.size() >= kMaxSessions) {
        reply.error("wait", "resource-constraint");
        return;
    }
    request.session_id = new_session_id();
    const auto* command = request.command;
    auto work = guarded(request, [command, actor = request.actor](storage::Repositories& repos) {
        return command->begin(repos, actor);
    });
    run(std::move(request), std::move(work), std::make_shared<IqReply>(std::move(reply)), {}, {});
}

void AdhocResponder::resume(Request request, const std::string& action, const XmlElement& payload,
                            IqReply reply) {
    const auto session = sessions_.find(request.session_id);
    if (session == sessions_.end() || session->second.requester != request.requester ||
        session->second.node != request.node) {
        reply.error("modify", "bad-request", commands_condition("bad-sessionid"));
        return;
    }
    if (session->second.expires <= Clock::now()) {
        sessions_.erase(session);
        reply.error("cancel", "not-allowed", commands_condition("session-expired"));
        return;
    }
    const auto* x = payload.child("x", ns::kDataForms);
    auto form = x ? DataForm::read(*x) : std::nullopt;
    if (action == "cancel" || (form && form->type() == "cancel")) {
        sessions_.erase(session);
        reply.result(answer_for(request, CommandStage::canceled()));
        return;
    }
    if (action == "prev") {
        reply.error("modify", "bad-request", commands_condition("bad-action"));
        return;
    }
    if (!form || form->type() != "submit" || !request.command->submit) {
        reply.error("modify", "bad-request", commands_condition("bad-payload"));
        return;
    }
    // Taken while the form is worked on, so a second submit cannot race it;
    // kept again if the command asks for more.
    sessions_.erase(session);
    submit(std::move(request), std::move(*form), std::move(reply));
}

void AdhocResponder::submit(Request request, DataForm submitted, IqReply reply) {
    const auto* command = request.command;
    auto work = guarded(request, [command, actor = request.actor, submitted](storage::Repositories& repos) {
        return command->submit(repos, actor, submitted);
    });
    // A refusal the person can fix shows the form again, with what they typed
    // and what is wrong; who they are (auth) is not for a form to fix.
    auto failed = [this, request, submitted](const commands::CommandFailure& failure,
                                             std::shared_ptr<IqReply> shared) {
        if (failure.refused && failure.type != "auth")
            return show_again(request, submitted, failure.text, std::move(shared));
        shared->error(failure.type, failure.condition);
    };
    run(request, std::move(work), std::make_shared<IqReply>(std::move(reply)), {}, std::move(failed));
}

void AdhocResponder::show_again(Request request, DataForm submitted, std::string problem,
                                std::shared_ptr<IqReply> reply) {
    const auto* command = request.command;
    auto work = guarded(request, [command, actor = request.actor](storage::Repositories& repos) {
        return command->begin(repos, actor);
    });
    // The same form again, what to fix at its top: clients show no note
    // while a command goes on. Only a command that ends now says it in one.
    auto with_problem = [submitted = std::move(submitted), problem = sentence(std::move(problem))](CommandStage& stage) {
        if (stage.form && stage.asks()) {
            stage.form->keep_values_of(submitted);
            stage.form->show_problem(problem);
            return;
        }
        stage.note = "Error: " + problem;
        stage.note_type = "error";
    };
    run(std::move(request), std::move(work), std::move(reply), std::move(with_problem), {});
}

void AdhocResponder::run(Request request, Work work, std::shared_ptr<IqReply> reply, Adjust adjust, Failed failed) {
    storage_.submit<CommandStage>(
        std::move(work),
        [this, request = std::move(request), reply, adjust = std::move(adjust), failed = std::move(failed)](
            std::optional<CommandStage> stage, std::exception_ptr error) {
            if (error) {
                const auto failure = commands::command_failure(error, request.requester);
                if (failed) failed(failure, reply);
                else reply->error(failure.type, failure.condition);
                return;
            }
            // Taken out first: it may replace the whole stage.
            if (auto after_commit = std::exchange(stage->after_commit, nullptr)) after_commit(*stage);
            if (adjust) adjust(*stage);
            if (stage->asks()) keep_session(request);
            reply->result(answer_for(request, *stage));
        });
}

AdhocResponder::Work AdhocResponder::guarded(const Request& request, Work work) const {
    return [needs_registration = !request.command->admin_only, jid = request.actor.jid,
            work = std::move(work)](storage::Repositories& repos) {
        if (needs_registration && !repos.users.find(jid)) throw PubsubError(routing::Refusal::registration_required);
        return work(repos);
    };
}

XmlElement AdhocResponder::answer_for(const Request& request, const CommandStage& stage) const {
    XmlElement command("command", ns::kCommands);
    if (stage.secret) command.mark_secret();
    command.set_attr("node", request.node).set_attr("sessionid", request.session_id).set_attr("status", stage.status_name());
    if (stage.asks()) {
        auto& actions = command.add_child("actions");
        actions.set_attr("execute", "complete");
        actions.add_child("complete");
    }
    if (!stage.note.empty() && !stage.asks()) command.add_child("note").set_attr("type", stage.note_type).set_text(stage.note);
    if (stage.form) command.add(stage.form->to_xml());
    return command;
}

std::string AdhocResponder::new_session_id() {
    auto id = random_item_id();
    while (sessions_.contains(id)) id = random_item_id();
    return id;
}

// Each requester keeps a few sessions (clients abandon forms); the oldest
// gives way. The whole map stays under kMaxSessions the same way.
void AdhocResponder::keep_session(const Request& request) {
    auto oldest_where = [this](auto matches) {
        auto oldest = sessions_.end();
        std::size_t count = 0;
        for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
            if (!matches(it->second)) continue;
            ++count;
            if (oldest == sessions_.end() || it->second.expires < oldest->second.expires) oldest = it;
        }
        return std::pair{oldest, count};
    };
    const auto [theirs, count] = oldest_where([&](const Session& s) { return s.requester == request.requester; });
    if (count >= kMaxSessionsPerRequester) sessions_.erase(theirs);
    if (sessions_.size() >= kMaxSessions) sessions_.erase(oldest_where([](const Session&) { return true; }).first);
    sessions_[request.session_id] = {request.requester, request.node, Clock::now() + kSessionLifetime};
}

void AdhocResponder::forget_expired_sessions() {
    std::erase_if(sessions_, [now = Clock::now()](const auto& entry) { return entry.second.expires <= now; });
}

}  // namespace herald::component
