#include "bench/herald_metrics.h"

#include <sstream>
#include <thread>

#include "bench/http_fetch.h"

namespace herald::bench {

HeraldMetrics::HeraldMetrics(int http_port) : url_("http://127.0.0.1:" + std::to_string(http_port) + "/metrics") {}

std::map<std::string, double> HeraldMetrics::fetch() const {
    std::map<std::string, double> samples;
    const auto body = http_fetch(url_);
    if (!body) return samples;
    std::istringstream lines(*body);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#' || line.find('{') != std::string::npos) continue;
        std::istringstream fields(line);
        std::string name;
        double value = 0;
        if (fields >> name >> value) samples[name] = value;
    }
    return samples;
}

double HeraldMetrics::value(const std::string& name) const {
    const auto samples = fetch();
    const auto found = samples.find(name);
    return found == samples.end() ? -1 : found->second;
}

std::optional<HistogramReading> HeraldMetrics::histogram(const std::string& name) const {
    const auto body = http_fetch(url_);
    return body ? read_histogram(*body, name) : std::nullopt;
}

bool HeraldMetrics::wait_for(const std::string& name, const std::function<bool(double)>& done,
                             std::chrono::milliseconds deadline, std::chrono::milliseconds interval) const {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (done(value(name))) return true;
        std::this_thread::sleep_for(interval);
    }
    return false;
}

}  // namespace herald::bench
