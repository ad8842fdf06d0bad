// The demo's user: a real XMPP client (libstrophe) that logs in to ejabberd,
// registers with herald, approves its presence subscription and changes
// presence, printing each step next to the line herald logs for it.
//
// usage: herald-demo-client HOST PORT JID PASSWORD COMPONENT HERALD_LOG

#include <chrono>
#include <iostream>
#include <string>

#include "tests/support/log_file.h"
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
    if (argc != 7) {
        std::cerr << "usage: herald-demo-client HOST PORT JID PASSWORD COMPONENT HERALD_LOG\n";
        return 64;
    }
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
    std::cout << "demo: -> presence: unavailable\n";
    client.send("<presence type='unavailable'/>");
    if (!show_herald("user " + client.bare_jid() + " is now offline")) return fail("herald did not see us leave");
    client.disconnect();
    std::cout << "demo: done: herald followed every presence change\n";
    return 0;
}
