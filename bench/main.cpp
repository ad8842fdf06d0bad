// herald-bench: runs every benchmark scenario against a private ejabberd and
// herald, each with its baseline in the same run, prints a table and writes
// the results as JSON.
//
//   herald-bench [--smoke] [--instructions] [--herald PATH] [--json PATH] [--only SCENARIO]...
//
// --instructions adds the instruction count of herald under callgrind
// (valgrind): deterministic, slow, not part of the smoke run.

#include <sys/resource.h>
#include <sys/utsname.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include <curl/curl.h>

#include "bench/bench_run.h"

namespace {

struct Options {
    bool smoke = false;
    bool instructions = false;
    std::filesystem::path herald = HERALD_BINARY;
    std::filesystem::path json = "bench/results/latest.json";
    std::set<std::string> only;
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--smoke") options.smoke = true;
        else if (arg == "--instructions") options.instructions = true;
        else if (arg == "--herald" && i + 1 < argc) options.herald = argv[++i];
        else if (arg == "--json" && i + 1 < argc) options.json = argv[++i];
        else if (arg == "--only" && i + 1 < argc) options.only.insert(argv[++i]);
        else {
            std::cerr << "usage: herald-bench [--smoke] [--instructions] [--herald PATH] [--json PATH] "
                         "[--only fan-out|latency|acks|flush|memory|instructions]...\n";
            std::exit(64);
        }
    }
    if (options.only.count("instructions") > 0) options.instructions = true;
    return options;
}

// libstrophe's loop uses select(): every socket must stay below FD_SETSIZE.
void raise_open_files_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, FD_SETSIZE);
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

std::string first_line(const std::filesystem::path& file, const std::string& prefix) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) return line.substr(line.find(':') + 1);
    return "";
}

nlohmann::json describe_run(const Options& options, double seconds) {
    utsname host{};
    ::uname(&host);
    const auto now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    double load[3] = {0, 0, 0};
    ::getloadavg(load, 3);
    return {{"finished_at", stamp},
            {"smoke", options.smoke},
            {"instructions", options.instructions},
            {"seconds", seconds},
            {"kernel", std::string(host.sysname) + " " + host.release},
            {"cpu", first_line("/proc/cpuinfo", "model name")},
            {"cpus", std::thread::hardware_concurrency()},
            {"load_average_at_end", {load[0], load[1], load[2]}}};
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = parse(argc, argv);
    raise_open_files_limit();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const auto started = std::chrono::steady_clock::now();
    herald::bench::ResultTable table;
    std::string failure;
    try {
        const auto work = std::filesystem::temp_directory_path() / ("herald-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(work);
        const int raw_port = herald::bench::use_bench_ejabberd_template(work);
        {
            auto sizes = options.smoke ? herald::bench::BenchSizes::smoke() : herald::bench::BenchSizes::full();
            sizes.only = options.only;
            sizes.instructions = options.instructions;
            herald::bench::BenchRun run(options.herald, sizes, raw_port);
            try {
                run.run_all();
            } catch (const std::exception& error) {
                failure = error.what();
            }
            table = run.results();  // what finished, even after a failure
        }
        std::filesystem::remove_all(work);
    } catch (const std::exception& error) {
        failure = error.what();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    table.print(std::cout);
    auto run = describe_run(options, seconds);
    if (!failure.empty()) run["failure"] = failure;
    table.write_json(options.json, run);
    std::cout << "\n" << table.results().size() << " scenarios in " << static_cast<int>(seconds) << " s; "
              << options.json.string() << "\n";
    if (!failure.empty()) {
        std::cerr << "herald-bench: " << failure << "\n";
        return 1;
    }
    for (const auto& result : table.results())
        if (!std::isfinite(result.herald) || (!result.difference && !(result.herald > 0))) {
            std::cerr << "herald-bench: " << result.name << " has no figure\n";
            return 1;
        }
    return 0;
}
