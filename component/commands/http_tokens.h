#pragma once

#include <string>
#include <vector>

#include "routing/token_service.h"

namespace herald::component::commands {

// The topics the person manages (ManagedTopics) and the labels of their
// HTTP publish tokens.
class HttpTokens {
public:
    struct Input {};
    struct Token {
        std::string topic;
        std::string label;
    };
    struct Outcome {
        std::vector<std::string> topics;
        std::vector<Token> tokens;
    };

    explicit HttpTokens(const routing::TokenService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::TokenService* service_;
};

}  // namespace herald::component::commands
