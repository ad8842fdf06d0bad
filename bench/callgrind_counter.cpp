#include "bench/callgrind_counter.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/process.h"

namespace herald::bench {

namespace {

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string word; in >> word;) out.push_back(word);
    return out;
}

std::string dump_prefix(pid_t pid) { return "callgrind.out." + std::to_string(pid); }

}  // namespace

std::optional<unsigned long long> callgrind_instructions(std::istream& dump) {
    std::optional<std::size_t> ir_column;
    std::optional<unsigned long long> summary, totals;
    for (std::string line; std::getline(dump, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const auto key = line.substr(0, colon);
        if (key != "events" && key != "summary" && key != "totals") continue;
        const auto values = words(line.substr(colon + 1));
        if (key == "events") {
            for (std::size_t i = 0; i < values.size(); ++i)
                if (values[i] == "Ir") ir_column = i;
            continue;
        }
        if (!ir_column || *ir_column >= values.size()) continue;
        try {
            (key == "totals" ? totals : summary) = std::stoull(values[*ir_column]);
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return totals ? totals : summary;
}

std::vector<std::string> CallgrindCounter::wrapper(const std::filesystem::path& dir) {
    // %p: the dumps of one process are callgrind.out.PID.1, .2, ...
    return {"valgrind", "--tool=callgrind", "--vgdb=yes", "--callgrind-out-file=" + (dir / "callgrind.out.%p").string()};
}

bool CallgrindCounter::available() {
    const auto valgrind = testing::run_command({"valgrind", "--version"}, std::chrono::seconds(20));
    const auto control = testing::run_command({"callgrind_control", "--version"}, std::chrono::seconds(20));
    return valgrind.exit_code == 0 && control.exit_code == 0;
}

CallgrindCounter::CallgrindCounter(pid_t pid, std::filesystem::path dir) : pid_(pid), dir_(std::move(dir)) {}

void CallgrindCounter::control(const std::string& option) {
    // Always by pid: without one callgrind_control reaches every callgrind
    // process of this user.
    const auto result = testing::run_command({"callgrind_control", option, std::to_string(pid_)},
                                             std::chrono::seconds(120));
    if (result.exit_code != 0 || result.output.find("OK") == std::string::npos)
        throw std::runtime_error("callgrind_control " + option + " " + std::to_string(pid_) +
                                 " failed: " + result.output);
}

void CallgrindCounter::zero() { control("--zero"); }

unsigned long long CallgrindCounter::dump() {
    control("--dump");
    const auto prefix = dump_prefix(pid_) + ".";
    std::optional<std::filesystem::path> fresh;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
        const auto name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0 || seen_.count(entry.path()) > 0) continue;
        if (fresh) throw std::runtime_error("two new callgrind dumps in " + dir_.string());
        fresh = entry.path();
    }
    if (!fresh) throw std::runtime_error("callgrind wrote no dump into " + dir_.string());
    seen_.insert(*fresh);
    std::ifstream in(*fresh);
    const auto instructions = callgrind_instructions(in);
    if (!instructions) throw std::runtime_error("no instruction count in " + fresh->string());
    return *instructions;
}

}  // namespace herald::bench
