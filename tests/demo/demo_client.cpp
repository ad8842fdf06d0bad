// The demo's user: a real XMPP client (libstrophe) that logs in to ejabberd,
// registers with herald, approves its presence subscription, changes
// presence, creates a topic and subscribes, and receives what `herald-send`
// publishes, online and after coming back from offline. Each step is printed
// next to the line herald logs for it.
//
// usage: herald-demo-client HOST PORT JID PASSWORD COMPONENT HERALD_LOG
//                           HERALD_SEND PUBLISHER_JID PUBLISHER_PASSWORD_FILE

#include <chrono>
#include <iostream>
#include <string>

#include "tests/support/log_file.h"
#include "tests/support/process.h"
#include "tests/support/xmpp_test_client.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

int fail(const std::string& what) {
    std::cerr << "demo: FAILED: " << what << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 10) {
        std::cerr << "usage: herald-demo-client HOST PORT JID PASSWORD COMPONENT HERALD_LOG "
                     "HERALD_SEND PUBLISHER_JID PUBLISHER_PASSWORD_FILE\n";
        return 64;
    }
    const std::string herald_send = argv[7], publisher = argv[8], publisher_password_file = argv[9];
    const std::string host = argv[1], jid = argv[3], password = argv[4], component = argv[5];
    const int port = std::stoi(argv[2]);
    LogFile herald_log(argv[6]);
    std::optional<std::uintmax_t> from = herald_log.size();  // only lines from now on

    XmppTestClient client(jid + "/demo", password, host, port);
    if (!client.connect(15s)) return fail("cannot log in: " + client.last_error());
    std::cout << "demo: " << client.jid() << " logged in to ejabberd at " << host << ":" << port << "\n";
    client.send("<presence/>");

    auto show_herald = [&](const std::string& line_part) {
        auto line = herald_log.wait_for(line_part, 15s, from);
        from.reset();
        if (line) {
            std::cout << "      herald log: " << *line << "\n";
            return true;
        }
        return false;
    };

    std::cout << "demo: -> register with " << component << " (XEP-0077)\n";
    auto reply = client.request("<iq type='set' to='" + component +
                                    "'><query xmlns='jabber:iq:register'/></iq>",
                                15s);
    if (!reply || reply->type() != "result") return fail("registration: " + (reply ? reply->xml() : "no reply"));
    std::cout << "demo: <- registered\n";
    if (!show_herald("registered " + client.bare_jid())) return fail("herald did not log the registration");

    auto ask = client.wait_for(
        [&](const ReceivedStanza& s) { return s.name() == "presence" && s.type() == "subscribe"; }, 15s);
    if (!ask) return fail("herald did not ask for a presence subscription");
    std::cout << "demo: <- " << component << " asks to see our presence; the user approves\n";
    client.send("<presence type='subscribed' to='" + component + "'/>");
    client.send("<presence type='subscribe' to='" + component + "'/>");
    if (!show_herald("user " + client.bare_jid() + " is now available")) return fail("herald did not see us");

    for (const std::string show : {"away", "dnd", "xa", "chat"}) {
        std::cout << "demo: -> presence: " << show << "\n";
        client.send("<presence><show>" + show + "</show></presence>");
        if (!show_herald("user " + client.bare_jid() + " is now " + show))
            return fail("herald did not follow the presence change to " + show);
    }
    client.send("<presence/>");
    if (!show_herald("user " + client.bare_jid() + " is now available")) return fail("herald did not see us back");

    auto pubsub = [&](const std::string& inner, bool owner = false) {
        return client.request("<iq type='set' to='" + component + "'><pubsub xmlns='http://jabber.org/protocol/pubsub" +
                                  (owner ? "#owner" : "") + "'>" + inner + "</pubsub></iq>",
                              15s);
    };
    std::cout << "demo: -> create topic 'alerts', allow " << publisher << " to publish, subscribe\n";
    for (auto reply : {pubsub("<create node='alerts'/>"),
                       pubsub("<affiliations node='alerts'><affiliation jid='" + publisher +
                                  "' affiliation='publisher'/></affiliations>",
                              true),
                       pubsub("<subscribe node='alerts' jid='" + client.bare_jid() + "'/>")})
        if (!reply || reply->type() != "result") return fail("topic setup: " + (reply ? reply->xml() : "no reply"));

    auto send = [&](const std::string& title, const std::string& body) {
        const std::vector<std::string> command = {herald_send, "--jid", publisher, "--password-file",
                                                  publisher_password_file, "--server", host, "--port",
                                                  std::to_string(port), "--tls", "off", "--to", component,
                                                  "--node", "alerts", "--title", title, "--body", body};
        std::cout << "demo: $ herald-send --jid " << publisher << " --to " << component
                  << " --node alerts --title '" << title << "' --body '" << body << "' ...\n";
        const auto result = run_command(command, 30s);
        std::cout << "      " << result.output;
        return result.exit_code == 0;
    };
    auto receive = [&](const char* when) {
        auto message = client.wait_for(
            [](const ReceivedStanza& s) {
                return s.name() == "message" && s.has("notification[@xmlns='urn:herald:0']");
            },
            15s);
        if (!message) return false;
        std::cout << "demo: <- " << when << ": " << message->text("body");
        if (auto delay = message->find("delay")) std::cout << "  (delayed, stamp " << delay->attr("stamp") << ")";
        std::cout << "\n";
        client.send("<message to='" + message->from() + "'><received xmlns='urn:xmpp:receipts' id='" +
                    xml_escape(message->id()) + "'/></message>");
        return true;
    };
    if (!send("Backup failed", "db1 nightly backup failed")) return fail("herald-send");
    if (!receive("at once")) return fail("the notification did not arrive");

    std::cout << "demo: -> presence: unavailable (the user goes offline)\n";
    client.send("<presence type='unavailable'/>");
    if (!show_herald("user " + client.bare_jid() + " is now offline")) return fail("herald did not see us leave");
    if (!send("Disk almost full", "db1 /var at 91%") || !send("Backup ok", "db1 retried and succeeded"))
        return fail("herald-send while offline");
    std::cout << "demo: -> presence: available (the user is back)\n";
    client.send("<presence/>");
    if (!receive("queued") || !receive("queued")) return fail("the queued notifications did not arrive");
    client.disconnect();
    std::cout << "demo: done: herald followed presence, delivered at once, queued while offline and "
                 "flushed on return\n";
    return 0;
}
