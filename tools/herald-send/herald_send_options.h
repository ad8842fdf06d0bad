#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tools/herald-send/connection_settings.h"
#include "tools/herald-send/publish_request.h"

namespace herald::ingest {

inline constexpr const char* kPasswordVariable = "HERALD_PASSWORD";

// Reads one environment variable; nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct BodySource {
    enum class Kind {
        text,                     // --body TEXT
        file,                     // --body-file FILE
        standard_input,           // --body - or --body-file -
        standard_input_if_piped,  // neither: stdin, unless it is a terminal
    };
    Kind kind = Kind::standard_input_if_piped;
    std::string value;  // the text, or the file's path
};

struct HeraldSendOptions {
    ConnectionSettings connection;
    std::optional<std::string> password_file;  // else the HERALD_PASSWORD variable
    // Everything but the body, which comes from `body` once it is read.
    PublishRequest request;
    BodySource body;
    // Bounds logging in and publishing; a --wait comes on top of it.
    std::chrono::seconds timeout{30};
    // --wait: after the publish, how long to wait for an acknowledgement.
    std::optional<std::chrono::seconds> wait;
    bool verbose = false;
};

struct ParsedCommandLine {
    bool help = false;          // --help: print herald_send_usage(), nothing else
    HeraldSendOptions options;  // complete and checked unless help
};

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parses herald-send's arguments (without the program name). Only looks at
// the environment to check that a password is available. Throws UsageError
// with a message for the user.
ParsedCommandLine parse_herald_send_command_line(const std::vector<std::string>& arguments,
                                                 const EnvironmentLookup& environment);

std::string_view herald_send_usage();

}  // namespace herald::ingest
