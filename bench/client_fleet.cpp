#include "bench/client_fleet.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "tests/support/strophe_handles.h"

namespace herald::bench {

namespace {

// How long xmpp_run_once may block: a send() from another thread waits at
// most this long.
constexpr unsigned long kLoopTickMs = 1;
constexpr int kConnectAttempts = 5;
constexpr std::size_t kLoginWave = 100;

int disable_nagle(xmpp_conn_t*, void* socket) {
    const int fd = *static_cast<int*>(socket);
    const int on = 1;
    return ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0 ? 0 : -1;
}

bool is_ping(xmpp_stanza_t* stanza) {
    const char* type = xmpp_stanza_get_type(stanza);
    return type && std::strcmp(type, "get") == 0 &&
           xmpp_stanza_get_child_by_name_and_ns(stanza, "ping", "urn:xmpp:ping") != nullptr;
}

std::string attribute(xmpp_stanza_t* stanza, const char* name) {
    const char* value = xmpp_stanza_get_attribute(stanza, name);
    return value ? value : "";
}

}  // namespace

void Session::send_now(const std::string& xml) const {
    if (connection) xmpp_send_raw(connection, xml.data(), xml.size());
}

ClientFleet::ClientFleet(std::string host, int threads) : host_(std::move(host)) {
    testing::ensure_libstrophe_initialized();
    for (int i = 0; i < std::max(1, threads); ++i) {
        auto loop = std::make_unique<Loop>();
        // HERALD_XMPP_TRACE set: libstrophe's debug log to stderr.
        loop->context = xmpp_ctx_new(nullptr, std::getenv("HERALD_XMPP_TRACE")
                                                  ? xmpp_get_default_logger(XMPP_LEVEL_DEBUG)
                                                  : nullptr);
        if (!loop->context) throw std::runtime_error("xmpp_ctx_new failed");
        loops_.push_back(std::move(loop));
    }
    for (auto& loop : loops_) loop->thread = std::thread([this, &loop] { run_loop(*loop); });
}

ClientFleet::~ClientFleet() {
    disconnect(std::chrono::seconds(10));
    stopping_ = true;
    for (auto& loop : loops_) loop->thread.join();
    for (auto& session : sessions_)
        if (session->connection) xmpp_conn_release(session->connection);
    for (auto& loop : loops_) xmpp_ctx_free(loop->context);
}

std::size_t ClientFleet::add(std::unique_ptr<Session> session) {
    session->index = sessions_.size();
    session->fleet = this;
    sessions_.push_back(std::move(session));
    return sessions_.size() - 1;
}

std::size_t ClientFleet::add_client(const std::string& bare_jid, const std::string& password, int port) {
    auto session = std::make_unique<Session>();
    session->jid = bare_jid;
    session->password = password;
    session->port = port;
    return add(std::move(session));
}

void ClientFleet::send(std::size_t session, std::string xml) {
    auto& loop = loop_of(session);
    std::lock_guard lock(loop.mutex);
    loop.commands.push_back({Command::Kind::send, session, std::move(xml)});
}

bool ClientFleet::connect(std::chrono::milliseconds deadline, std::size_t first, std::size_t last) {
    if (last == 0) last = sessions_.size();
    const auto until = std::chrono::steady_clock::now() + deadline;
    // Logins go in waves: a storm of a thousand at once makes ejabberd reset
    // connections. A login refused or dropped is tried again, as a client
    // would; only established streams that end count as closed.
    for (std::size_t wave = first; wave < last; wave += kLoginWave) {
        const auto wave_end = std::min(last, wave + kLoginWave);
        for (int attempt = 0;; ++attempt) {
            for (std::size_t i = wave; i < wave_end; ++i) {
                if (sessions_[i]->state == Session::State::connected) continue;
                sessions_[i]->state = Session::State::connecting;
                auto& loop = loop_of(i);
                std::lock_guard lock(loop.mutex);
                loop.commands.push_back({Command::Kind::connect, i, {}});
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            wait_until(std::max(left, std::chrono::milliseconds(0)), [&] {
                for (std::size_t i = wave; i < wave_end; ++i)
                    if (sessions_[i]->state == Session::State::connecting) return false;
                return true;
            });
            std::size_t failed = 0;
            for (std::size_t i = wave; i < wave_end; ++i) failed += sessions_[i]->state != Session::State::connected;
            if (failed == 0) break;
            failed_logins_ += failed;
            if (attempt + 1 == kConnectAttempts || std::chrono::steady_clock::now() >= until) return false;
        }
    }
    return true;
}

bool ClientFleet::disconnect(std::chrono::milliseconds deadline, std::size_t first, std::size_t last) {
    if (last == 0) last = sessions_.size();
    for (std::size_t i = first; i < last; ++i) {
        auto& loop = loop_of(i);
        std::lock_guard lock(loop.mutex);
        loop.commands.push_back({Command::Kind::disconnect, i, {}});
    }
    return wait_until(deadline, [&] {
        for (std::size_t i = first; i < last; ++i) {
            const auto state = sessions_[i]->state.load();
            if (state == Session::State::connected || state == Session::State::connecting) return false;
        }
        return true;
    });
}

bool ClientFleet::wait_until(std::chrono::milliseconds deadline, const std::function<bool()>& done) {
    std::unique_lock lock(state_mutex_);
    return state_changed_.wait_for(lock, deadline, done);
}

void ClientFleet::notify() {
    { std::lock_guard lock(state_mutex_); }
    state_changed_.notify_all();
}

void ClientFleet::run_loop(Loop& loop) {
    std::vector<Command> batch;
    while (!stopping_) {
        {
            std::lock_guard lock(loop.mutex);
            batch.swap(loop.commands);
        }
        for (auto& command : batch) execute(loop, command);
        batch.clear();
        xmpp_run_once(loop.context, kLoopTickMs);
    }
}

void ClientFleet::execute(Loop& loop, Command& command) {
    Session& session = *sessions_[command.session];
    switch (command.kind) {
    case Command::Kind::connect:
        open(loop, session);
        break;
    case Command::Kind::send:
        if (session.state == Session::State::connected) session.send_now(command.xml);
        break;
    case Command::Kind::disconnect:
        if (session.state == Session::State::connected || session.state == Session::State::connecting) {
            session.close_requested = true;
            xmpp_disconnect(session.connection);
        }
        break;
    }
}

void ClientFleet::open(Loop& loop, Session& session) {
    if (session.connection) xmpp_conn_release(session.connection);
    session.connection = xmpp_conn_new(loop.context);
    session.close_requested = false;
    xmpp_conn_set_sockopt_callback(session.connection, &disable_nagle);
    xmpp_handler_add(session.connection, &ClientFleet::on_stanza, nullptr, nullptr, nullptr, &session);
    // As the test client does; the private ejabberd offers no STARTTLS.
    xmpp_conn_set_flags(session.connection, XMPP_CONN_FLAG_TRUST_TLS);
    xmpp_conn_set_jid(session.connection, (session.jid + "/bench").c_str());
    xmpp_conn_set_pass(session.connection, session.password.c_str());
    if (xmpp_connect_client(session.connection, host_.c_str(), static_cast<unsigned short>(session.port),
                            &ClientFleet::on_event, &session) != XMPP_EOK) {
        session.state = Session::State::ended;
        notify();
    }
}

int ClientFleet::on_stanza(xmpp_conn_t*, xmpp_stanza_t* stanza, void* opaque) {
    auto& session = *static_cast<Session*>(opaque);
    if (is_ping(stanza)) {
        session.send_now("<iq type='result' to='" + attribute(stanza, "from") + "' id='" +
                         attribute(stanza, "id") + "'/>");
        return 1;
    }
    if (session.fleet->handler_) session.fleet->handler_(session, stanza);
    return 1;
}

void ClientFleet::on_event(xmpp_conn_t*, xmpp_conn_event_t event, int error, xmpp_stream_error_t*, void* opaque) {
    auto& session = *static_cast<Session*>(opaque);
    if (event == XMPP_CONN_CONNECT) {
        session.state = Session::State::connected;
    } else if (event == XMPP_CONN_DISCONNECT || event == XMPP_CONN_FAIL) {
        if (session.state == Session::State::ended) return;
        const bool established = session.state == Session::State::connected;
        if (!session.close_requested && established) ++session.fleet->closed_by_server_;
        if (!established && error != 0) session.fleet->last_failure_ = error;
        session.state = Session::State::ended;
    } else {
        return;
    }
    session.fleet->notify();
}

}  // namespace herald::bench
