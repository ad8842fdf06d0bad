#include "component/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace herald::component {

void configure_logging(const std::string& level, const std::optional<std::string>& file) {
    std::shared_ptr<spdlog::logger> logger =
        file ? spdlog::basic_logger_mt("herald", *file) : spdlog::stderr_logger_mt("herald");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %-5l %v");
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

}  // namespace herald::component
