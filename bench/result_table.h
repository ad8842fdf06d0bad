#pragma once

// The benchmark's results: one row per scenario with herald's figure, the
// in-run baseline's and their ratio, printed as a table and written as JSON.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::bench {

// Herald's own publish-to-send latency during a scenario: quantiles
// interpolated from the buckets of /metrics' herald_publish_to_send_seconds
// (read before and after), live deliveries only.
struct AddedLatency {
    double p50_seconds = 0;
    double p99_seconds = 0;
    double observations = 0;
};

struct ScenarioResult {
    std::string name;
    double herald = 0;
    std::optional<double> baseline;
    std::string units;
    std::string baseline_name;  // what the baseline is
    std::string target;         // the target, in words
    bool met = true;            // the target is met in this run
    bool judged = true;         // false: a figure the target needs was not measured
    bool difference = false;    // a difference of two measures: zero or below is a figure too
    nlohmann::json details = nlohmann::json::object();
    std::optional<AddedLatency> added_latency = std::nullopt;

    std::optional<double> ratio() const;  // herald / baseline
};

class ResultTable {
public:
    void add(ScenarioResult result);
    void set_added_latency(std::size_t row, AddedLatency latency) { results_.at(row).added_latency = latency; }
    void print(std::ostream& out) const;
    void write_json(const std::filesystem::path& path, const nlohmann::json& run) const;
    const std::vector<ScenarioResult>& results() const { return results_; }

private:
    std::vector<ScenarioResult> results_;
};

}  // namespace herald::bench
