#include "fuzz/service_harness.h"

#include <memory>

#include "storage/backend_factory.h"

namespace herald::fuzz {

void CompletionQueue::post(std::function<void()> completion) {
    {
        std::lock_guard lock(mutex_);
        completions_.push_back(std::move(completion));
    }
    posted_.notify_one();
}

std::function<void()> CompletionQueue::take() {
    std::unique_lock lock(mutex_);
    posted_.wait(lock, [this] { return !completions_.empty(); });
    auto next = std::move(completions_.front());
    completions_.pop_front();
    return next;
}

std::deque<std::function<void()>> CompletionQueue::take_ready() {
    std::lock_guard lock(mutex_);
    return std::exchange(completions_, {});
}

routing::Settings ServiceHarness::fuzz_config() {
    routing::Settings config;
    config.component.jid = "notify.localhost";
    config.component.secret = "fuzz";
    config.storage.path = ":memory:";
    config.admins = {"admin@localhost"};
    config.limits.requests_per_second = 1000;
    return config;
}

ServiceHarness::ServiceHarness(routing::Settings config)
    : config_(std::move(config)),
      storage_(storage::open_backend({config_.storage.backend, config_.storage.path}),
               [this](std::function<void()> completion) { completions_.post(std::move(completion)); }),
      dispatcher_(sender_, config_.component.jid, config_.limits.requests_per_second,
                  {config_.limits.max_stanza_bytes, config_.limits.max_form_fields, config_.limits.max_form_value_bytes}),
      services_(io_, config_, storage_, dispatcher_, sender_) {
    dispatcher_.on_connected();
    settle();
}

ServiceHarness::~ServiceHarness() {
    services_.router().stop();
    storage_.stop();
    completions_.take_ready();
}

void ServiceHarness::deliver(const component::XmlElement& stanza) {
    dispatcher_.on_stanza(stanza);
    settle();
}

void ServiceHarness::settle() {
    for (;;) {
        io_.restart();
        const auto handlers = io_.poll();
        // Storage runs jobs in order: once this one's completion arrives,
        // every completion of the jobs submitted before it has too.
        auto barrier_reached = std::make_shared<bool>(false);
        storage_.submit([](storage::Repositories&) {},
                        [barrier_reached](std::exception_ptr) { *barrier_reached = true; });
        std::size_t completions = 0;
        while (!*barrier_reached) {
            completions_.take()();
            ++completions;
        }
        if (handlers == 0 && completions == 1) return;
    }
}

}  // namespace herald::fuzz
