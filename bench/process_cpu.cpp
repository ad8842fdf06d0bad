#include "bench/process_cpu.h"

#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sstream>

namespace herald::bench {

std::optional<ProcStat> parse_proc_stat(std::string_view line) {
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
    ProcStat stat;
    try {
        std::size_t used = 0;
        const auto pid = std::stoll(std::string(line.substr(0, open)), &used);
        if (pid <= 0) return std::nullopt;
        stat.pid = static_cast<pid_t>(pid);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    stat.comm = std::string(line.substr(open + 1, close - open - 1));
    // After comm: field 3 (state) onwards, separated by single spaces.
    std::istringstream rest{std::string(line.substr(close + 1))};
    std::string field;
    for (int number = 3; number <= 22; ++number) {
        if (!(rest >> field)) return std::nullopt;
        try {
            if (number == 3) {
                if (field.size() != 1) return std::nullopt;
                stat.state = field[0];
            } else if (number == 14) {
                stat.user_ticks = std::stoull(field);
            } else if (number == 15) {
                stat.system_ticks = std::stoull(field);
            } else if (number == 22) {
                stat.start_ticks = std::stoull(field);
            }
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return stat;
}

std::optional<CpuSample> sample_cpu(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(file, line)) return std::nullopt;
    auto stat = parse_proc_stat(line);
    if (!stat || stat->pid != pid || stat->state == 'Z' || stat->state == 'X') return std::nullopt;
    const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    CpuSample sample;
    sample.stat = *stat;
    sample.user_seconds = static_cast<double>(stat->user_ticks) / tick;
    sample.system_seconds = static_cast<double>(stat->system_ticks) / tick;
    sample.total_seconds = sample.user_seconds + sample.system_seconds;
    clockid_t clock{};
    timespec now{};
    if (::clock_getcpuclockid(pid, &clock) == 0 && ::clock_gettime(clock, &now) == 0) {
        sample.total_seconds = static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
        sample.from_cpu_clock = true;
    }
    return sample;
}

std::optional<CpuUse> cpu_between(const std::optional<CpuSample>& before, const std::optional<CpuSample>& after) {
    if (!before || !after || before->stat.pid != after->stat.pid ||
        before->stat.start_ticks != after->stat.start_ticks || before->from_cpu_clock != after->from_cpu_clock)
        return std::nullopt;
    return CpuUse{after->user_seconds - before->user_seconds, after->system_seconds - before->system_seconds,
                  after->total_seconds - before->total_seconds, after->from_cpu_clock};
}

CpuWindow::CpuWindow(pid_t herald, std::optional<pid_t> ejabberd)
    : herald_(herald),
      ejabberd_(ejabberd),
      herald_before_(sample_cpu(herald)),
      ejabberd_before_(ejabberd ? sample_cpu(*ejabberd) : std::nullopt),
      driver_before_(sample_cpu(::getpid())),
      started_(std::chrono::steady_clock::now()) {}

PhaseCpu CpuWindow::finish() const {
    PhaseCpu phase;
    phase.herald = cpu_between(herald_before_, sample_cpu(herald_));
    if (ejabberd_) phase.ejabberd = cpu_between(ejabberd_before_, sample_cpu(*ejabberd_));
    phase.driver = cpu_between(driver_before_, sample_cpu(::getpid()));
    phase.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return phase;
}

}  // namespace herald::bench
