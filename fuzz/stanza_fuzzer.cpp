// Raw XML from a user's stream, parsed by gloox as the component's stream is,
// turned into Herald's XmlElement at the same edge, and handled by the real
// dispatcher and responders (registration, pubsub, ad-hoc, presence,
// message) over SQLite in memory. An input is a sequence of stanzas, so one
// input can register, create a topic and publish to it. An ad-hoc command
// with sessionid='@last' continues the session Herald opened last, so the
// fuzzer can reach the forms' later stages.
#include <gloox/parser.h>
#include <gloox/tag.h>
#include <gloox/taghandler.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "component/gloox_stanza.h"
#include "fuzz/service_harness.h"
#include "fuzz/silent_logs.h"

namespace {

constexpr std::size_t kMaxStanzasPerInput = 64;

class StanzaCollector final : public gloox::TagHandler {
public:
    void handleTag(gloox::Tag* tag) override {
        if (!tag || stanzas.size() >= kMaxStanzasPerInput) return;
        const auto& name = tag->name();
        if (name == "iq" || name == "message" || name == "presence") stanzas.emplace_back(tag->clone());
    }
    std::vector<std::unique_ptr<gloox::Tag>> stanzas;
};

// The id of the last ad-hoc session in what Herald sent.
std::string last_session_id(const std::vector<std::string>& sent) {
    static const std::string kMarker = "sessionid='";
    for (auto stanza = sent.rbegin(); stanza != sent.rend(); ++stanza) {
        const auto at = stanza->find(kMarker);
        if (at == std::string::npos) continue;
        const auto start = at + kMarker.size();
        return stanza->substr(start, stanza->find('\'', start) - start);
    }
    return {};
}

void continue_last_session(gloox::Tag& stanza, const std::vector<std::string>& sent) {
    auto* command = stanza.findChild("command");
    if (command && command->findAttribute("sessionid") == "@last")
        command->addAttribute("sessionid", last_session_id(sent));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const herald::fuzz::SilentLogs silent;
    StanzaCollector collector;
    {
        gloox::Parser parser(&collector);
        std::string stream =
            "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'"
            " from='localhost' id='fuzz'>";
        stream.append(reinterpret_cast<const char*>(data), size);
        parser.feed(stream);
    }
    if (collector.stanzas.empty()) return 0;
    herald::fuzz::ServiceHarness harness;
    for (const auto& stanza : collector.stanzas) {
        continue_last_session(*stanza, harness.sender().sent());
        harness.deliver(herald::component::stanza_from_tag(*stanza));
    }
    return 0;
}
