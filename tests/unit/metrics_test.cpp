// The Prometheus text of routing::Metrics: the publish-to-send histogram's
// buckets, sum and count, and lines a scraper accepts.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>

#include "routing/metrics.h"

using herald::routing::Metrics;
using namespace std::chrono_literals;

namespace {

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(Metrics, PublishToSendHistogramCountsEachBucketCumulatively) {
    Metrics metrics;
    metrics.sent_live(50us);
    metrics.sent_live(300us);
    metrics.sent_live(2ms);
    metrics.sent_live(3s);
    const auto text = metrics.render({}, 0);
    const std::string name = "herald_publish_to_send_seconds";
    EXPECT_TRUE(has_line(text, "# TYPE " + name + " histogram")) << text;
    EXPECT_TRUE(has_line(text, name + "_bucket{le=\"0.0001\"} 1")) << text;
    EXPECT_TRUE(has_line(text, name + "_bucket{le=\"0.00025\"} 1")) << text;
    EXPECT_TRUE(has_line(text, name + "_bucket{le=\"0.0005\"} 2")) << text;
    EXPECT_TRUE(has_line(text, name + "_bucket{le=\"0.001\"} 2")) << text;
    EXPECT_TRUE(has_line(text, name + "_bucket{le=\"0.0025\"} 3")) << text;
    EXPECT_TRUE(has_line(text, name + "_bucket{le=\"2.5\"} 3")) << text;
    EXPECT_TRUE(has_line(text, name + "_bucket{le=\"+Inf\"} 4")) << text;
    EXPECT_TRUE(has_line(text, name + "_sum 3.00235")) << text;
    EXPECT_TRUE(has_line(text, name + "_count 4")) << text;
    EXPECT_NE(text.find("# HELP " + name + " "), std::string::npos);
}

TEST(Metrics, EveryLineIsACommentOrASample) {
    Metrics metrics;
    metrics.sent_live(1ms);
    metrics.delivered(20);
    metrics.escalation("mail", "sent");
    const std::regex sample(R"([a-z_]+(\{[a-z]+="[^"]*"(,[a-z]+="[^"]*")*\})? [-+0-9.e]+)");
    const std::regex comment(R"(# (HELP|TYPE) [a-z_]+ .+)");
    std::istringstream lines(metrics.render({}, 0));
    std::string line;
    int samples = 0;
    while (std::getline(lines, line)) {
        EXPECT_TRUE(std::regex_match(line, sample) || std::regex_match(line, comment)) << line;
        samples += line[0] != '#';
    }
    EXPECT_GT(samples, 40);
}

}  // namespace
