#include "bench/bench_responder.h"

#include <cstring>
#include <memory>
#include <string_view>

#include "bench/bench_stanzas.h"
#include "bench/client_fleet.h"
#include "bench/publish_pipeline.h"

namespace herald::bench {

namespace {

std::string attribute(xmpp_stanza_t* stanza, const char* name) {
    const char* value = xmpp_stanza_get_attribute(stanza, name);
    return value ? value : "";
}

std::string to_text(xmpp_stanza_t* stanza) {
    char* buffer = nullptr;
    std::size_t length = 0;
    if (xmpp_stanza_to_text(stanza, &buffer, &length) != XMPP_EOK) return "<unprintable stanza>";
    std::string text(buffer, length);
    xmpp_free(xmpp_stanza_get_context(stanza), buffer);
    return text;
}

}  // namespace

void BenchResponder::operator()(Session& session, xmpp_stanza_t* stanza) {
    const char* name = xmpp_stanza_get_name(stanza);
    if (!name) return;
    if (std::strcmp(name, "message") == 0) on_message(session, stanza);
    else if (std::strcmp(name, "iq") == 0) on_iq(session, stanza);
    else if (std::strcmp(name, "presence") == 0) on_presence(session, stanza);
}

void BenchResponder::on_iq(Session& session, xmpp_stanza_t* stanza) {
    const std::string type = attribute(stanza, "type");
    const std::string id = attribute(stanza, "id");
    if (type == "get" || type == "set") {
        session.send_now("<iq type='error' to='" + attribute(stanza, "from") + "' id='" + id +
                         "'><error type='cancel'><service-unavailable "
                         "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        return;
    }
    const bool ok = type == "result";
    if (id.rfind(PublishPipeline::kIdPrefix, 0) == 0) {
        if (auto* pipeline = pipeline_.load()) pipeline->on_reply(session, ok, ok ? std::string() : to_text(stanza));
        return;
    }
    if (requests_.resolve(id, {type, ok ? std::string() : to_text(stanza)})) return;
    if (!ok) ++untracked_errors_;
}

void BenchResponder::on_message(Session& session, xmpp_stanza_t* stanza) {
    const auto received_ns = now_ns();
    if (attribute(stanza, "type") == "error") return;
    xmpp_stanza_t* body = xmpp_stanza_get_child_by_name(stanza, "body");
    if (!body) return;  // receipts and other bodiless messages
    if (xmpp_stanza_get_child_by_name_and_ns(stanza, "request", "urn:xmpp:receipts"))
        session.send_now(receipt(attribute(stanza, "from"), attribute(stanza, "id")));
    std::unique_ptr<char, void (*)(char*)> text(xmpp_stanza_get_text(body), [](char* p) { std::free(p); });
    const auto sent = text ? sent_stamp(text.get()) : std::nullopt;
    tally_.record(sent.value_or(-1), received_ns);
}

void BenchResponder::on_presence(Session& session, xmpp_stanza_t* stanza) {
    if (attribute(stanza, "type") != "subscribe") return;
    const std::string from = attribute(stanza, "from");
    if (from == component_jid_) session.send_now("<presence type='subscribed' to='" + from + "'/>");
}

}  // namespace herald::bench
