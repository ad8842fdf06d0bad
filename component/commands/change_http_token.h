#pragma once

#include <optional>
#include <string>

#include "routing/token_service.h"

namespace herald::component::commands {

// Makes a bearer token for the HTTP publish API of one topic, or revokes
// one. A token made is in the outcome: shown this once, never logged.
class ChangeHttpToken {
public:
    struct Input {
        std::string topic;
        std::string label;
        bool revoke = false;
    };
    struct Outcome {
        std::string topic;
        std::string label;
        std::optional<std::string> token;  // made; nullopt when revoked
    };

    explicit ChangeHttpToken(const routing::TokenService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::TokenService* service_;
};

}  // namespace herald::component::commands
