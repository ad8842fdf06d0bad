#pragma once

#include "storage/ack_repository.h"
#include "storage/delivery_queue.h"
#include "storage/escalation_repository.h"
#include "storage/feed_repository.h"
#include "storage/instance_repository.h"
#include "storage/node_repository.h"
#include "storage/token_repository.h"
#include "storage/user_repository.h"

namespace herald::storage {

// What a storage job may touch, in domain terms.
struct Repositories {
    UserRepository& users;
    NodeRepository& nodes;
    DeliveryQueue& queue;
    TokenRepository& tokens;
    EscalationRepository& escalations;
    FeedRepository& feeds;
    AckRepository& acks;
    InstanceRepository& instances;
};

}  // namespace herald::storage
