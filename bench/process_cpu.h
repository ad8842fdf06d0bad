#pragma once

// CPU time used by another process (herald, ejabberd's beam.smp) or by the
// driver itself, read from /proc/PID/stat (user and system time in clock
// ticks) and, to the nanosecond, from the process's CPU clock
// (clock_getcpuclockid): what a scenario cost each of them.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace herald::bench {

// The fields of /proc/PID/stat the benchmark needs.
struct ProcStat {
    pid_t pid = 0;
    std::string comm;  // the executable's name, as the kernel keeps it (15 chars at most)
    char state = '?';
    unsigned long long user_ticks = 0;    // utime, field 14
    unsigned long long system_ticks = 0;  // stime, field 15
    unsigned long long start_ticks = 0;   // starttime, field 22: tells a restarted pid apart
};

// Parses one /proc/PID/stat line; nullopt when it is not one. comm may hold
// spaces and parentheses: it ends at the last ')'.
std::optional<ProcStat> parse_proc_stat(std::string_view line);

struct CpuSample {
    ProcStat stat;
    double user_seconds = 0;
    double system_seconds = 0;
    double total_seconds = 0;  // the CPU clock when readable, else user + system
    bool from_cpu_clock = false;
};

// What the process has used so far; nullopt when it does not exist (or
// cannot be read).
std::optional<CpuSample> sample_cpu(pid_t pid);

// The CPU one process used between two samples; nullopt unless both exist
// and belong to the same process (same pid and start time).
struct CpuUse {
    double user_seconds = 0;
    double system_seconds = 0;
    double total_seconds = 0;
    bool from_cpu_clock = false;  // total to the nanosecond, else in clock ticks
};
std::optional<CpuUse> cpu_between(const std::optional<CpuSample>& before, const std::optional<CpuSample>& after);

// The CPU herald, ejabberd and the driver (this process) used during one
// phase of a scenario, and its wall-clock length. A figure is nullopt when
// its process could not be read at both ends or was another one at the end.
struct PhaseCpu {
    std::optional<CpuUse> herald;
    std::optional<CpuUse> ejabberd;
    std::optional<CpuUse> driver;
    double wall_seconds = 0;
};

class CpuWindow {
public:
    // Samples the processes now; ejabberd is nullopt when its pid is unknown.
    CpuWindow(pid_t herald, std::optional<pid_t> ejabberd);
    PhaseCpu finish() const;

private:
    pid_t herald_;
    std::optional<pid_t> ejabberd_;
    std::optional<CpuSample> herald_before_, ejabberd_before_, driver_before_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace herald::bench
