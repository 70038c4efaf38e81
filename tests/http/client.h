#pragma once
// A raw loopback HTTP/1.1 connection for socket-level tests that need more than
// testing::raw_request: keep-alive, partial sends, HEAD, watching the server close.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>

#include "support.h"

namespace pbgdpl::testing {

class Conn {
 public:
  explicit Conn(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~Conn() {
    if (fd_ >= 0) close(fd_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool send_all(const std::string& bytes) {
    size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  /// Reads one response. With head_only, the body is not awaited (HEAD, 304).
  HttpResponse read_response(int timeout_ms = 5000, bool head_only = false) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      auto end = in_.find("\r\n\r\n");
      if (end != std::string::npos) {
        auto r = parse_response(in_);
        size_t need = end + 4;
        auto cl = r.header("content-length");
        if (!head_only && !cl.empty()) need += std::stoul(cl);
        if (in_.size() >= need) {
          r.body = in_.substr(end + 4, need - end - 4);
          in_.erase(0, need);
          return r;
        }
      }
      if (!fill(deadline)) {
        auto r = parse_response(in_);
        in_.clear();
        return r;
      }
    }
  }

  /// True when the server closes (EOF or reset) within timeout_ms; unread data is dropped.
  bool closed_by_peer(int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, left) <= 0) return false;
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
      in_.append(buf, static_cast<size_t>(n));
    }
  }
  const std::string& pending() const { return in_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) return false;
    char buf[16384];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    in_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string in_;
};

/// True when nothing listens on 127.0.0.1:port.
inline bool refuses(uint16_t port) {
  Conn c(port);
  return !c.connected();
}

}  // namespace pbgdpl::testing
