#include "bench/result_table.h"

#include <fstream>
#include <iomanip>
#include <sstream>

namespace herald::bench {

namespace {

std::string figure(double value) {
    std::ostringstream out;
    if (value >= 100) out << std::fixed << std::setprecision(0);
    else if (value >= 1) out << std::fixed << std::setprecision(2);
    else out << std::setprecision(3);
    out << value;
    return out.str();
}

}  // namespace

std::optional<double> ScenarioResult::ratio() const {
    if (!baseline || *baseline == 0) return std::nullopt;
    return herald / *baseline;
}

void ResultTable::add(ScenarioResult result) { results_.push_back(std::move(result)); }

void ResultTable::print(std::ostream& out) const {
    out << std::left << std::setw(34) << "scenario" << std::right << std::setw(12) << "herald" << std::setw(12)
        << "baseline" << std::setw(8) << "ratio" << std::setw(11) << "added p50" << std::setw(11) << "added p99"
        << "  " << std::left << std::setw(14) << "units" << "target\n";
    out << std::string(132, '-') << "\n";
    for (const auto& r : results_) {
        const auto ratio = r.ratio();
        const auto added_ms = [&r](double AddedLatency::*quantile) {
            return r.added_latency ? figure((*r.added_latency).*quantile * 1000) : std::string("-");
        };
        out << std::left << std::setw(34) << r.name << std::right << std::setw(12) << figure(r.herald)
            << std::setw(12) << (r.baseline ? figure(*r.baseline) : "-") << std::setw(8)
            << (ratio ? figure(*ratio) : "-") << std::setw(11) << added_ms(&AddedLatency::p50_seconds)
            << std::setw(11) << added_ms(&AddedLatency::p99_seconds) << "  " << std::left << std::setw(14)
            << r.units << r.target
            << (r.target.empty() ? "" : !r.judged ? " (not measured)" : r.met ? " (met)" : " (NOT met)") << "\n";
    }
    out << "added p50/p99: Herald's own latency in ms, publish received to message written, live deliveries "
           "only; interpolated from the buckets of /metrics' herald_publish_to_send_seconds\n";
}

void ResultTable::write_json(const std::filesystem::path& path, const nlohmann::json& run) const {
    nlohmann::json scenarios = nlohmann::json::array();
    for (const auto& r : results_) {
        const auto ratio = r.ratio();
        scenarios.push_back({{"name", r.name},
                             {"herald", r.herald},
                             {"baseline", r.baseline ? nlohmann::json(*r.baseline) : nlohmann::json()},
                             {"ratio", ratio ? nlohmann::json(*ratio) : nlohmann::json()},
                             {"units", r.units},
                             {"baseline_is", r.baseline_name},
                             {"target", r.target},
                             {"target_met", r.judged ? nlohmann::json(r.met) : nlohmann::json()},
                             {"details", r.details},
                             {"herald_added_latency",
                              r.added_latency ? nlohmann::json{{"p50_seconds", r.added_latency->p50_seconds},
                                                               {"p99_seconds", r.added_latency->p99_seconds},
                                                               {"observations", r.added_latency->observations},
                                                               {"method", "interpolated from the buckets of "
                                                                          "herald_publish_to_send_seconds"}}
                                              : nlohmann::json()}});
    }
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << std::setw(2) << nlohmann::json{{"run", run}, {"scenarios", scenarios}} << "\n";
}

}  // namespace herald::bench
