#pragma once
// The HTTP/1.1 server (Boost.Beast 1.74, C++20 coroutines): one io thread per core, one
// coroutine per connection, keep-alive, header/body limits (body per route), read and idle
// timeouts against slow clients, graceful drain on stop().
//
// Threads: one io_context per thread (no strands, no hand-offs between threads); the
// acceptor deals connections out to them in turn, and a connection stays on its thread.
// Handlers are synchronous and short (SQLite answers in microseconds; PostgreSQL in a
// round trip); long work goes to the job queue. The pipeline for one request:
//   parse → request id → route → before-middleware → handler → after-middleware →
//   security headers → gzip → access log + metrics.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/metrics.h"
#include "http/page_cache.h"
#include "http/router.h"

namespace pbgdpl::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 0;  ///< 0 = one per core
  size_t max_body = 1 << 20;
  size_t max_header = 16 << 10;
  int read_timeout_s = 15;
  int idle_timeout_s = 60;
  int shutdown_grace_s = 10;
  bool trust_proxy = false;
  bool access_log = true;
};

using Before = std::function<std::optional<Response>(Request&, const Route&)>;
using After = std::function<void(const Request&, Response&)>;
using ErrorPage = std::function<Response(const Request&, const core::Error&)>;
/// The page-cache key of a request, or nullopt when its answer may differ per visitor
/// (signed in, a flash message, ...). Called only for GET/HEAD of routes with anon_cache_s.
using CacheKey = std::function<std::optional<std::string>(const Request&)>;

class Server {
 public:
  Server(ServerOptions o, const Router& r);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void use(Before b);
  void after(After a);
  void on_error(ErrorPage e);
  /// Enables the anonymous page cache (see PageCache) with this key function.
  void cache_key(CacheKey k);
  Metrics& metrics() { return metrics_; }
  PageCache& page_cache() { return cache_; }

  /// Binds and listens (port 0 picks a free port).
  core::Status bind();
  uint16_t port() const;
  /// Serves until stop(); blocks the calling thread (which becomes one of the io threads).
  void run();
  /// Graceful stop: no new connections, in-flight requests finish, idle ones close.
  /// Safe from any thread and from a signal watcher.
  void stop();
  /// Runs the whole pipeline for one request (no socket). Used by the server, tests, fuzzers.
  Response handle(Request& req);
  /// The same, with the route already matched (the connection matches once, for the body
  /// limit, and passes the match on).
  Response handle(Request& req, Match m);
  /// Parses one request from raw bytes (as a client sent them) and answers it with the same
  /// steps as a connection: header and body limits, target checks, the route's body limit,
  /// then handle(). Protocol errors get the connection's error responses (an incomplete
  /// request is a 400). For fuzzers and tests.
  Response handle_bytes(std::string_view raw);
  /// Error response, HTML or JSON by what the request wants.
  Response error(const Request& req, const core::Error& e);
  /// Final touches shared by handle() and protocol errors: headers, gzip, log, metrics.
  void finish(const Request& req, Response& res, int64_t started_ns);

  struct Impl;

 private:
  ServerOptions opt_;
  const Router& router_;
  std::vector<Before> before_;
  std::vector<After> after_;
  ErrorPage error_page_;
  CacheKey cache_key_;
  Metrics metrics_;
  PageCache cache_;
  std::unique_ptr<Impl> impl_;
};

/// gzip-compresses (RFC 1952). Used for text responses when the client accepts it.
std::string gzip(std::string_view in);
/// Validates a raw request target and fills path/raw_query/query; 400 errors in Vietnamese.
core::Status parse_target(std::string_view target, Request& req);

}  // namespace pbgdpl::http
