#pragma once

#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "component/config.h"
#include "component/service_wiring.h"
#include "component/stanza_dispatcher.h"
#include "fuzz/strict_output.h"
#include "storage/storage_worker.h"

namespace herald::fuzz {

// Storage completions, held until the harness runs them on its own thread,
// in the order the storage thread committed them.
class CompletionQueue {
public:
    void post(std::function<void()> completion);
    // Waits for one completion.
    std::function<void()> take();
    std::deque<std::function<void()>> take_ready();

private:
    std::mutex mutex_;
    std::condition_variable posted_;
    std::deque<std::function<void()>> completions_;
};

// What the service sent, serialized as it would go on the wire, and parsed
// back by a strict XML parser first: one malformed stanza makes ejabberd
// cut the component stream, so it traps here.
class RecordingSender final : public component::StanzaSender {
public:
    void send(const component::XmlElement& stanza) override {
        auto xml = stanza.to_xml();
        require_well_formed_xml(xml, "a stanza Herald sent to ejabberd");
        sent_.push_back(std::move(xml));
    }
    const std::vector<std::string>& sent() const { return sent_; }

private:
    std::vector<std::string> sent_;
};

// The daemon's dispatcher and services over a real SQLite storage in
// memory, with a recording sender instead of the link to ejabberd. Storage
// completions run on the calling thread when `settle` is called, so one
// input always takes the same path.
class ServiceHarness {
public:
    static component::Config fuzz_config();

    explicit ServiceHarness(component::Config config = fuzz_config());
    ~ServiceHarness();

    // Runs everything the last stanzas started, and what that started in
    // turn, until neither storage nor the io_context has anything left.
    void settle();
    void deliver(const component::XmlElement& stanza);

    boost::asio::io_context& io() { return io_; }
    CompletionQueue& completions() { return completions_; }
    component::ServiceWiring& services() { return services_; }
    storage::StorageWorker& storage() { return storage_; }
    const RecordingSender& sender() const { return sender_; }

private:
    component::Config config_;
    // Declared first so that replies owed by anything destroyed later still
    // have somewhere to go.
    RecordingSender sender_;
    CompletionQueue completions_;
    boost::asio::io_context io_;
    storage::StorageWorker storage_;
    component::StanzaDispatcher dispatcher_;
    component::ServiceWiring services_;
};

}  // namespace herald::fuzz
