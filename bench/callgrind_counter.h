#pragma once

// Instructions executed by a process that runs under
// `valgrind --tool=callgrind`: callgrind_control zeroes its counters before
// a stretch of work and dumps them after it; the dump's totals are the
// instructions (Ir) of that stretch, a figure that does not move with the
// machine's load.

#include <sys/types.h>

#include <filesystem>
#include <istream>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace herald::bench {

// Instructions executed (the Ir event) in one callgrind output file: its
// "totals:" line, else its "summary:" line; nullopt when neither is there or
// the file counts no Ir.
std::optional<unsigned long long> callgrind_instructions(std::istream& dump);

class CallgrindCounter {
public:
    // The valgrind command line to put before the program's, writing its
    // dumps into dir.
    static std::vector<std::string> wrapper(const std::filesystem::path& dir);
    static bool available();

    // pid: the process running under wrapper(dir).
    CallgrindCounter(pid_t pid, std::filesystem::path dir);

    // Zeroes the counters; throws std::runtime_error when callgrind_control fails.
    void zero();
    // Dumps the counters and returns the instructions since the last zero().
    unsigned long long dump();

private:
    void control(const std::string& option);

    const pid_t pid_;
    const std::filesystem::path dir_;
    std::set<std::filesystem::path> seen_;
};

}  // namespace herald::bench
