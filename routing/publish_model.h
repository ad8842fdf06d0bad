#pragma once

#include <optional>
#include <string_view>

namespace herald::routing {

// Who may publish to a topic besides its owner and publishers: with `open`,
// any registered user. Named as pubsub#publish_model and storage name them.
enum class PublishModel { open, publishers };

constexpr std::string_view name_of(PublishModel model) {
    return model == PublishModel::open ? "open" : "publishers";
}

constexpr std::optional<PublishModel> publish_model_named(std::string_view name) {
    if (name == "open") return PublishModel::open;
    if (name == "publishers") return PublishModel::publishers;
    return std::nullopt;
}

}  // namespace herald::routing
