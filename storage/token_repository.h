#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/limited_insert.h"

namespace herald::storage {

// Bearer tokens for publishing to one node over HTTP. Only a digest of each
// token is stored.
struct NodeToken {
    std::string node;
    std::string label;
    std::string created_by;  // bare JID
};

class TokenRepository {
public:
    virtual ~TokenRepository() = default;
    // False when the node already has a token with that label.
    virtual bool add(std::string_view digest, const NodeToken& token, std::int64_t now) = 0;
    virtual std::optional<NodeToken> find(std::string_view digest) = 0;
    // True when a token was removed.
    virtual bool revoke(std::string_view node, std::string_view label) = 0;
    virtual std::vector<std::string> labels(std::string_view node) = 0;

    // add, unless its creator already made `max_tokens` tokens; exists when
    // the node already has a token with that label.
    virtual LimitedInsert add_within(std::string_view digest, const NodeToken& token, std::int64_t now,
                                     std::int64_t max_tokens) = 0;
    // Every token the user made, whatever the node.
    virtual void revoke_created_by(std::string_view jid) = 0;
};

}  // namespace herald::storage
