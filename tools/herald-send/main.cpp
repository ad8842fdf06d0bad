#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "tools/herald-send/herald_send.h"

int main(int argc, char** argv) {
    // A server that closes the socket while we write must not kill us
    // silently: the write fails and the exit status says why.
    std::signal(SIGPIPE, SIG_IGN);
    const std::vector<std::string> arguments(argv + 1, argv + argc);
    const auto environment = [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (!value) return std::nullopt;
        return std::string(value);
    };
    return herald::ingest::run_herald_send(arguments, environment, std::cout, std::cerr);
}
