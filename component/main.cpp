#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "component/admin_command.h"
#include "component/config.h"
#include "component/herald_app.h"
#include "component/ingest_mail_command.h"
#include "component/logging.h"
#include "ingest/mail_address_command.h"
#include "text/safe_text.h"

namespace {

constexpr int kExitUsage = 64;   // sysexits EX_USAGE
constexpr int kExitConfig = 78;  // sysexits EX_CONFIG

const char* kUsage = R"(usage: herald --config FILE [--check-config]
       herald ingest-mail --config FILE [--recipient ADDRESS] < MESSAGE
       herald mail-address --topic NODE --domain DOMAIN < TOKEN
       herald admin --config FILE COMMAND [ARGUMENTS] [--json]

  --config FILE     YAML configuration (see herald.example.yaml)
  --check-config    check FILE, report every error with its line, and exit
  --help            this text
  --version         print the version

Exit codes: 0 ok, 64 bad usage, 78 configuration errors, 1 runtime failure.
`herald ingest-mail --help` describes the mail pipe (docs/mail.md).
`herald admin --help` lists the operator's commands (users, topics, queues,
set-aside deliveries, statistics, online backup); `herald remove-user` is
`herald admin remove-user`.
)";

using Subcommand = std::function<int(const std::vector<std::string>&)>;

const std::map<std::string, Subcommand>& subcommands() {
    static const std::map<std::string, Subcommand> table = {
        {"ingest-mail", herald::component::run_ingest_mail},
        {"admin",
         [](const std::vector<std::string>& arguments) {
             return herald::component::run_admin(arguments, std::cout, std::cerr);
         }},
        {"remove-user",
         [](std::vector<std::string> arguments) {
             arguments.insert(arguments.begin(), "remove-user");
             return herald::component::run_admin(arguments, std::cout, std::cerr);
         }},
        {"mail-address",
         [](const std::vector<std::string>& arguments) {
             return herald::ingest::run_mail_address(arguments, std::cin, std::cout, std::cerr);
         }},
    };
    return table;
}

}  // namespace

int main(int argc, char** argv) {
    herald::text::prepare_xml_parser();
    if (argc > 1)
        if (const auto subcommand = subcommands().find(argv[1]); subcommand != subcommands().end())
            return subcommand->second(std::vector<std::string>(argv + 2, argv + argc));
    std::string config_path;
    bool check_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) config_path = argv[++i];
        else if (arg.rfind("--config=", 0) == 0) config_path = arg.substr(9);
        else if (arg == "--check-config") check_only = true;
        else if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (arg == "--version") {
            std::cout << "herald 0.1.0\n";
            return 0;
        } else {
            std::cerr << "herald: unknown argument '" << arg << "'\n" << kUsage;
            return kExitUsage;
        }
    }
    if (config_path.empty()) {
        std::cerr << "herald: --config FILE is required\n" << kUsage;
        return kExitUsage;
    }

    const auto loaded = herald::component::load_config_file(config_path);
    for (const auto& error : loaded.errors)
        std::cerr << herald::component::format_error(config_path, error) << "\n";
    if (!loaded.config) {
        std::cerr << "herald: " << loaded.errors.size() << " error(s) in " << config_path << "\n";
        return kExitConfig;
    }
    if (check_only) {
        std::cout << config_path << ": configuration is valid\n";
        return 0;
    }

    try {
        herald::component::configure_logging(loaded.config->log.level, loaded.config->log.file);
        boost::asio::io_context io;
        herald::component::HeraldApp app(io, *loaded.config);
        app.start();
        app.run();
        spdlog::info("herald stopped");
        return 0;
    } catch (const std::exception& error) {
        spdlog::critical("herald: {}", error.what());
        std::cerr << "herald: " << error.what() << "\n";
        return 1;
    }
}
