#pragma once

// One benchmark run: a private ejabberd, herald, the simulated users and
// publishers, and every scenario with its baseline measured in the same run.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bench/bench_responder.h"
#include "bench/client_fleet.h"
#include "bench/herald_process.h"
#include "bench/process_cpu.h"
#include "bench/result_table.h"
#include "bench/trivial_component.h"
#include "tests/support/private_ejabberd.h"

namespace herald::bench {

struct BenchSizes {
    int users = 1000;                          // simulated users, all online at once
    std::vector<std::pair<int, int>> fan_out{  // (subscribers S, publishes P)
        {100, 300}, {1000, 30}};
    int publish_total = 5000;                  // acknowledged publishes per side
    int publish_window = 64;                   // publishes in flight
    int flush_users = 1000;                    // U
    int flush_items = 100;                     // Q per user
    double latency_seconds = 5;
    int registered = 100000;                   // for memory and start-up
    int topic_subscribers = 10000;             // of one topic, among them
    int loop_threads = 2;
    bool instructions = false;                 // also count herald's instructions under callgrind
    int instruction_publishes = 10;            // K, each to the first fan-out topic's subscribers
    std::set<std::string> only;                // scenarios to run (all when empty)

    static BenchSizes full() { return {}; }
    static BenchSizes smoke();
};

class BenchRun {
public:
    BenchRun(std::filesystem::path herald_binary, BenchSizes sizes, int raw_component_port);
    ~BenchRun();

    void run_all();
    const ResultTable& results() const { return table_; }

private:
    void set_up();
    void record(ScenarioResult result);
    // Runs a scenario and gives its first row Herald's added latency from
    // /metrics, read before and after.
    void with_added_latency(const std::function<void()>& scenario);
    void fan_out(int subscribers, int publishes);
    void latency();
    void publish_acks();
    void offline_flush();
    void memory_and_start_up();
    void instructions();

    double raw_fan_out(int subscribers, int publishes);
    double herald_fan_out(int subscribers, int publishes);
    std::vector<std::int64_t> paced_latencies(int subscribers, double publishes_per_second, bool through_herald);
    double pipeline_rate(const std::string& to, const std::string& node, int total, nlohmann::json& details);
    void users_online(std::size_t count);
    void users_offline();
    double flush_seconds(const std::function<bool()>& confirmed);
    struct StartUp {
        double seconds = 0;
        std::optional<double> herald_cpu_seconds;  // herald's CPU from its start to presence known
    };
    StartUp start_up();

    // A phase's CPU window opens and closes once herald and ejabberd are idle
    // (work of the previous phase, such as receipts still in flight, is not
    // charged to the next one).
    CpuWindow cpu_window() const;
    PhaseCpu finish(const CpuWindow& window) const;
    void settle() const;
    // Herald's CPU for one GET /metrics (the driver polls it inside windows).
    std::optional<double> metrics_poll_cost_us();
    // One "CPU per ..." row: herald's and ejabberd's CPU in herald's phase of
    // a scenario, per message delivered (or per acknowledged publish).
    void record_cost(const std::string& scenario, const PhaseCpu& herald_phase, double herald_messages,
                     const PhaseCpu& baseline_phase, double baseline_messages, const std::string& baseline_is,
                     bool deliveries);
    void publish_one_and_wait(int subscribers);

    void request_ok(std::size_t session, const std::string& iq, const std::string& what,
                    std::chrono::milliseconds deadline = std::chrono::seconds(60));
    void requests_ok(std::size_t first, std::size_t last, const std::function<std::string(std::size_t)>& iq,
                     const std::string& what);
    std::string user_jid(std::size_t index) const;
    static std::string topic(int subscribers) { return "fan-" + std::to_string(subscribers); }

    const BenchSizes sizes_;
    const int raw_component_port_;
    testing::PrivateEjabberd ejabberd_;
    std::unique_ptr<HeraldProcess> herald_;
    std::string component_;      // herald's JID
    std::string raw_component_;  // the trivial component's JID
    BenchResponder responder_;
    ClientFleet users_;          // the simulated users, index i is u<i+1>
    ClientFleet control_;        // publisher and bot
    std::unique_ptr<TrivialComponent> raw_;
    std::size_t publisher_ = 0, bot_ = 0;
    double herald_max_delivery_rate_ = 0;
    std::optional<pid_t> ejabberd_pid_;  // its beam.smp
    std::optional<double> metrics_poll_us_;
    ResultTable table_;
};

// Writes the bench's ejabberd template (the private one, plus a listener for
// the trivial component) and points the launcher at it; returns that
// listener's port.
int use_bench_ejabberd_template(const std::filesystem::path& dir);

}  // namespace herald::bench
