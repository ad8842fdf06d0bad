#include "bench/herald_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace herald::bench {

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot pick a free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

HeraldProcess::HeraldProcess(std::filesystem::path binary, const testing::PrivateEjabberd& ejabberd,
                             std::filesystem::path dir)
    : binary_(std::move(binary)),
      dir_(std::move(dir)),
      config_path_(dir_ / "herald.yaml"),
      database_path_(dir_ / "herald.db"),
      http_port_(free_loopback_port()),
      log_(dir_ / "herald.log") {
    std::filesystem::create_directories(dir_);
    std::ofstream config(config_path_);
    config << ejabberd.herald_config(dir_, database_path_)
           // The driver's one publisher account sends thousands of IQs a second.
           << "limits:\n"
           << "  requests_per_second: 1000000\n"
           << "http:\n"
           << "  enabled: true\n"
           << "  port: " << http_port_ << "\n"
           << "log:\n"
           << "  level: " << (std::getenv("HERALD_BENCH_LOG_LEVEL") ? std::getenv("HERALD_BENCH_LOG_LEVEL") : "info")
           << "\n"
           << "  file: " << log_.path().string() << "\n";
}

HeraldProcess::~HeraldProcess() {
    if (process_) stop();
}

void HeraldProcess::start(const std::vector<std::string>& wrapper) {
    const auto mark = start_mark_ = log_.size();
    auto argv = wrapper;
    argv.insert(argv.end(), {binary_.string(), "--config", config_path_.string()});
    process_ = std::make_unique<testing::ChildProcess>(std::move(argv), dir_ / "herald.stderr");
    // Under valgrind, start-up is tens of times slower.
    const auto deadline = std::chrono::seconds(wrapper.empty() ? 60 : 600);
    if (!log_.wait_for("handshake accepted", deadline, mark))
        throw std::runtime_error("herald did not connect to ejabberd; its log:\n" + log_.tail());
}

void HeraldProcess::stop() {
    if (!process_) return;
    process_->signal(SIGTERM);
    if (!process_->wait_exit(std::chrono::seconds(30))) process_->kill_hard();
    process_.reset();
}

bool HeraldProcess::wait_log(std::string_view text, std::chrono::milliseconds deadline) {
    return log_.wait_for(text, deadline, start_mark_).has_value();
}

std::int64_t HeraldProcess::resident_bytes() const {
    if (!process_) return 0;
    std::ifstream status("/proc/" + std::to_string(process_->pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) != 0) continue;
        std::istringstream fields(line.substr(6));
        std::int64_t kib = 0;
        fields >> kib;
        return kib * 1024;
    }
    return 0;
}

}  // namespace herald::bench
