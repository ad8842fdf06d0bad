#include "component/registration_responder.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "component/disco_responder.h"
#include "component/job_failure.h"
#include "component/namespaces.h"
#include "text/jid.h"

namespace herald::component {

using herald::text::bare_jid;
using herald::text::is_user_jid;

using herald::routing::UserService;
using herald::routing::kRegistrationRefused;

namespace {

// Storage failures are worth retrying; the requester is told to wait.
void reply_storage_error(IqReply& reply, const std::string& what, std::exception_ptr error) {
    read_job_failure(error, what + " for " + reply.requester(), Refusals::logged);
    reply.error("wait", "internal-server-error");
}

}  // namespace

RegistrationResponder::RegistrationResponder(StanzaDispatcher& dispatcher, DiscoResponder& disco,
                                             UserService& users)
    : users_(users) {
    disco.add_feature(ns::kRegister);
    dispatcher.handle_iq("get", ns::kRegister,
                         [this](const XmlElement& iq, const XmlElement&, IqReply reply) {
                             get(iq, std::move(reply));
                         });
    dispatcher.handle_iq("set", ns::kRegister,
                         [this](const XmlElement& iq, const XmlElement& query, IqReply reply) {
                             set(iq, query, std::move(reply));
                         });
}

void RegistrationResponder::get(const XmlElement& iq, IqReply reply) {
    auto shared_reply = std::make_shared<IqReply>(std::move(reply));
    users_.find_user(bare_jid(iq.attr("from")),
                     [shared_reply](std::optional<storage::User> user, std::exception_ptr error) {
                         if (error) return reply_storage_error(*shared_reply, "registration lookup", error);
                         XmlElement query("query", ns::kRegister);
                         if (user) {
                             query.add_child("registered");
                             query.add_child("email").set_text(user->email.value_or(""));
                         } else {
                             query.add_child("instructions")
                                 .set_text("Register to receive notifications. An email address "
                                           "is optional (used for escalation by mail).");
                             query.add_child("email");
                         }
                         shared_reply->result(std::move(query));
                     });
}

void RegistrationResponder::set(const XmlElement& iq, const XmlElement& query, IqReply reply) {
    const auto& from = iq.attr("from");
    if (!is_user_jid(from)) {
        reply.error("cancel", "not-allowed");
        return;
    }
    const auto user = bare_jid(from);
    const bool remove = query.child("remove") != nullptr;
    std::optional<std::string> email;
    for (const auto& field : query.children()) {
        const bool known = field.xmlns() == ns::kRegister &&
                           ((remove && field.name() == "remove") || (!remove && field.name() == "email"));
        if (!known || (field.name() == "email" && email)) {
            reply.error("modify", "bad-request");
            return;
        }
        if (field.name() == "email" && !field.text().empty()) email = field.text();
        else if (field.name() == "email") email = std::string();
    }
    if (email && email->empty()) email.reset();

    auto shared_reply = std::make_shared<IqReply>(std::move(reply));
    if (remove) {
        users_.unregister_user(user, [shared_reply](bool removed, std::exception_ptr error) {
            if (error) return reply_storage_error(*shared_reply, "unregistration", error);
            if (removed) shared_reply->result();
            else shared_reply->error("auth", "registration-required");
        });
        return;
    }
    if (!users_.may_register(user)) {
        spdlog::info("registration from {} refused: domain not in registration.allowed_domains", user);
        shared_reply->error("cancel", "not-allowed", stanza_error_text(kRegistrationRefused));
        return;
    }
    users_.register_user(user, std::move(email), [shared_reply](std::exception_ptr error) {
        if (error) return reply_storage_error(*shared_reply, "registration", error);
        shared_reply->result();
    });
}

}  // namespace herald::component
