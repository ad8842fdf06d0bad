// Any bytes as a stored item row (an old row, a row written before the
// edges were cleaned, a damaged file): whatever the database holds, what
// Herald renders from it must be well-formed for its reader. The input is
// split at 0x1E (record separator) into node, title, body, link, payload,
// item id and an escalation target; the row goes straight into SQLite
// (bypassing every edge) with a subscriber, then
//   - the subscriber comes online: the real router delivers the row; the
//     subscriber confirms it and asks for history and items (every stanza is parsed back strictly by
//     the harness's sender);
//   - the notification message is rendered directly (when the renderer
//     exists as its own unit);
//   - the row is rendered as an escalation mail (header lines without CR/LF
//     injection, 7-bit, CRLF line ends, a UTF-8 body) and as a webhook's
//     JSON (valid UTF-8 that parses).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "agents/mail_message.h"
#include "agents/webhook_agent.h"
#include "fuzz/service_harness.h"
#include "fuzz/silent_logs.h"
#include "fuzz/strict_output.h"
#include "agents/xmpp_notification_message.h"
#include "text/safe_text.h"

namespace {

using herald::component::XmlElement;
using herald::fuzz::malformed_output;
using herald::fuzz::require_utf8;
using herald::fuzz::require_well_formed_xml;

constexpr const char* kReader = "reader@localhost";
constexpr const char* kReaderResource = "reader@localhost/r";

std::vector<std::string> fields_of(std::string_view input, std::size_t count) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (fields.size() + 1 < count) {
        const auto end = input.find('\x1e', start);
        if (end == std::string_view::npos) break;
        fields.emplace_back(input.substr(start, end - start));
        start = end + 1;
    }
    fields.emplace_back(input.substr(std::min(start, input.size())));
    fields.resize(count);
    return fields;
}

XmlElement stanza_from_reader(const std::string& name, const std::string& type) {
    XmlElement element(name);
    element.set_attr("from", kReaderResource).set_attr("to", "notify.localhost");
    if (!type.empty()) element.set_attr("type", type);
    return element;
}

// The reader registers, approves Herald's presence subscription and comes
// online: the router then delivers the reader's queue.
void reader_comes_online(herald::fuzz::ServiceHarness& harness) {
    auto presence = stanza_from_reader("presence", "subscribed");
    harness.deliver(presence);
    auto available = stanza_from_reader("presence", "");
    available.add_child("priority").set_text("5");
    harness.deliver(available);
}

// The reader answers Herald's last ping, which confirms what was delivered
// (so that history lists it).
void reader_answers_the_ping(herald::fuzz::ServiceHarness& harness) {
    const auto& sent = harness.sender().sent();
    for (auto stanza = sent.rbegin(); stanza != sent.rend(); ++stanza) {
        if (stanza->rfind("<iq type='get'", 0) != 0 || stanza->find("urn:xmpp:ping") == std::string::npos) continue;
        const auto start = stanza->find(" id='") + 5;
        auto pong = stanza_from_reader("iq", "result");
        pong.set_attr("id", stanza->substr(start, stanza->find('\'', start) - start));
        harness.deliver(pong);
        return;
    }
}

void reader_asks_for_history_and_items(herald::fuzz::ServiceHarness& harness, const std::string& node) {
    auto history = stanza_from_reader("message", "chat");
    history.set_attr("id", "h1");
    history.add_child("body").set_text("history 5");
    harness.deliver(history);
    auto items = stanza_from_reader("iq", "get");
    items.set_attr("id", "i1");
    items.add_child("pubsub", "http://jabber.org/protocol/pubsub").add_child("items").set_attr("node", node);
    harness.deliver(items);
}

bool header_name_start(std::string_view line) {
    const auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    for (std::size_t i = 0; i < colon; ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c <= 0x20 || c >= 0x7f) return false;
    }
    return true;
}

std::string quoted_printable_decoded(std::string_view encoded) {
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] != '=') {
            out += encoded[i];
        } else if (encoded.substr(i + 1, 2) == "\r\n") {
            i += 2;
        } else if (i + 2 < encoded.size() && hex(encoded[i + 1]) >= 0 && hex(encoded[i + 2]) >= 0) {
            out += static_cast<char>(hex(encoded[i + 1]) * 16 + hex(encoded[i + 2]));
            i += 2;
        } else {
            malformed_output("escalation mail: a stray '=' in a quoted-printable body", encoded, "at " + std::to_string(i));
        }
    }
    return out;
}

// RFC 5322 as an MTA reads it: CRLF line ends only, 7-bit header lines that
// each start a header or fold one (no line a value could inject), a
// quoted-printable body in short 7-bit lines that decodes to UTF-8.
void check_mail(const std::string& mail) {
    for (std::size_t i = 0; i < mail.size(); ++i) {
        if (mail[i] == '\n' && (i == 0 || mail[i - 1] != '\r'))
            malformed_output("escalation mail: a bare LF", mail, "at " + std::to_string(i));
        if (mail[i] == '\r' && (i + 1 == mail.size() || mail[i + 1] != '\n'))
            malformed_output("escalation mail: a bare CR", mail, "at " + std::to_string(i));
    }
    const auto end_of_headers = mail.find("\r\n\r\n");
    if (end_of_headers == std::string::npos) malformed_output("escalation mail: no end of headers", mail, "");
    std::size_t start = 0;
    bool subject = false;
    while (start < end_of_headers + 2) {
        const auto end = mail.find("\r\n", start);
        const std::string_view line(mail.data() + start, end - start);
        for (const unsigned char c : line)
            if ((c < 0x20 && c != '\t') || c >= 0x7f)
                malformed_output("escalation mail: a header byte that is not printable ASCII", line, std::to_string(c));
        if (line.size() > 998) malformed_output("escalation mail: a header line over 998 bytes", line, "");
        const bool folded = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (!folded && !header_name_start(line))
            malformed_output("escalation mail: a header line that neither starts nor folds a header", mail,
                             std::string(line.substr(0, 80)));
        if (folded && start == 0) malformed_output("escalation mail: folds before the first header", mail, "");
        subject = subject || line.rfind("Subject: ", 0) == 0;
        start = end + 2;
    }
    if (!subject) malformed_output("escalation mail: no Subject", mail, "");
    const std::string_view body(mail.data() + end_of_headers + 4, mail.size() - end_of_headers - 4);
    for (std::size_t line_start = 0; line_start < body.size();) {
        auto end = body.find("\r\n", line_start);
        if (end == std::string_view::npos) end = body.size();
        if (end - line_start > 76)
            malformed_output("escalation mail: a quoted-printable line over 76 characters", body.substr(line_start, end - line_start), "");
        for (const unsigned char c : body.substr(line_start, end - line_start))
            if ((c < 0x20 && c != '\t') || c >= 0x7f)
                malformed_output("escalation mail: a body byte that is not 7-bit text", body, std::to_string(c));
        line_start = end + 2;
    }
    require_utf8(quoted_printable_decoded(body), "escalation mail: the decoded body");
}

void check_webhook(const herald::storage::EscalationBatch& batch) {
    std::string json;
    try {
        json = herald::agents::webhook_body(batch, 1700000000000);
    } catch (const std::exception& error) {
        malformed_output("webhook_body threw (in the daemon: an exception out of a storage completion)",
                         batch.items.front().title, error.what());
    }
    require_utf8(json, "webhook body");
    if (nlohmann::json::parse(json, nullptr, false).is_discarded())
        malformed_output("webhook body: not JSON", json, "nlohmann::json::parse refused it");
}

void check_escalations(const herald::storage::Item& item, const std::string& target) {
    herald::storage::EscalationBatch one;
    one.user = kReader;
    one.target = target;
    one.items = {item};
    auto second = item;
    std::swap(second.title, second.body);
    second.node = item.link;
    herald::storage::EscalationBatch digest = one;
    digest.items.push_back(second);
    for (const auto* batch : {&one, &digest}) {
        herald::agents::MailEnvelope envelope{"herald@localhost", target, "m1@herald", 1700000000000};
        std::string mail;
        try {
            mail = herald::agents::compose_mail(*batch, envelope);
        } catch (const std::exception& error) {
            malformed_output("compose_mail threw", item.title, error.what());
        }
        check_mail(mail);
        check_webhook(*batch);
    }
}

void check_notification_message(herald::storage::Item item) {
    // Its contract: a well-formed payload or none (the router checks first).
    if (!herald::text::well_formed_fragment(item.payload)) item.payload.clear();
    using herald::agents::MessageFormat;
    for (const auto format : {MessageFormat::chat, MessageFormat::headline, MessageFormat::pubsub}) {
        herald::agents::DeliveryEnvelope envelope{"notify.localhost", kReaderResource, "n1", format, true};
        require_well_formed_xml(herald::agents::notification_message(item, envelope).to_xml(),
                                "notification_message");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const herald::fuzz::SilentLogs silent;
    const auto fields = fields_of(std::string_view(reinterpret_cast<const char*>(data), size), 7);
    herald::storage::Item item;
    item.node = fields[0].empty() ? "n" : fields[0];
    item.title = fields[1];
    item.body = fields[2];
    item.link = fields[3];
    item.payload = fields[4];
    item.item_id = fields[5].empty() ? "i" : fields[5];
    item.publisher = "owner@localhost";
    item.priority = static_cast<int>(size % 5);  // 4: out of range, as a damaged row may hold
    item.published_ms = 1700000000000;
    const auto& target = fields[6];

    check_escalations(item, target.empty() ? "reader@example.org" : target);
    check_notification_message(item);

    herald::fuzz::ServiceHarness harness;
    auto registration = stanza_from_reader("iq", "set");
    registration.set_attr("id", "r1");
    registration.add_child("query", "jabber:iq:register");
    harness.deliver(registration);
    harness.storage().submit(
        [item](herald::storage::Repositories& repos) {
            if (!repos.nodes.find(item.node)) repos.nodes.create({item.node, "owner@localhost", "open", false, 0});
            repos.nodes.subscribe(item.node, kReader, 0);
            repos.queue.publish(item);
        },
        [](std::exception_ptr error) {
            // Storage takes any bytes; a failure here is the harness's own.
            if (error) std::rethrow_exception(error);
        });
    harness.settle();
    reader_comes_online(harness);
    reader_answers_the_ping(harness);
    reader_asks_for_history_and_items(harness, item.node);
    return 0;
}
