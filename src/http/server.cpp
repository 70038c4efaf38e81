#include "http/server.h"

#include <zlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "core/crypto.h"
#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"

namespace pbgdpl::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using core::Error;
using core::ErrorCode;

namespace {

struct ConnState {
  explicit ConnState(tcp::socket&& s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool busy = false;  // touched only on the connection's thread
};

bool compressible(std::string_view ct) {
  return ct.rfind("text/", 0) == 0 || ct.rfind("application/json", 0) == 0 ||
         ct.rfind("application/xml", 0) == 0 || ct.rfind("application/rss+xml", 0) == 0 ||
         ct.rfind("application/atom+xml", 0) == 0 || ct.rfind("image/svg+xml", 0) == 0 ||
         ct.rfind("application/javascript", 0) == 0 || ct.rfind("application/yaml", 0) == 0;
}

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

bool accepts_gzip(const Request& req) { return req.header("accept-encoding").find("gzip") != std::string_view::npos; }

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

/// A request id unique in the logs: a random prefix per thread and a counter (one
/// getrandom per thread instead of one per request).
std::string next_request_id() {
  thread_local std::string prefix = core::random_hex(4);
  thread_local uint32_t counter = 0;
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = prefix;
  id.resize(prefix.size() + 8);
  uint32_t c = ++counter;
  for (int i = 7; i >= 0; --i, c >>= 4) id[prefix.size() + static_cast<size_t>(i)] = hex[c & 15];
  return id;
}

bool valid_request_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

std::string gzip(std::string_view in) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  return out;
}

core::Status parse_target(std::string_view target, Request& req) {
  req.target = std::string(target);
  if (target.size() > 8192) return Error::of(ErrorCode::UriTooLong);
  if (target.empty() || target.front() != '/')
    return Error::of(ErrorCode::BadRequest, "Địa chỉ yêu cầu phải bắt đầu bằng dấu '/'.");
  auto q = target.find('?');
  auto raw_path = target.substr(0, q);
  auto frag = raw_path.find('#');
  if (frag != std::string_view::npos) raw_path = raw_path.substr(0, frag);
  auto path = percent_decode(raw_path, false);
  if (!path) return Error::of(ErrorCode::BadRequest, "Đường dẫn có mã hóa phần trăm (%) không hợp lệ.");
  if (!core::utf8_valid(*path)) return Error::of(ErrorCode::InvalidUtf8, "Đường dẫn không phải văn bản UTF-8 hợp lệ.");
  // Any C0 control or DEL, including TAB/CR/LF (which core::has_control_chars allows for
  // text fields): no page needs them, and a decoded CR/LF would split log lines or headers.
  if (std::any_of(path->begin(), path->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
    return Error::of(ErrorCode::BadRequest, "Đường dẫn chứa ký tự điều khiển không hợp lệ.");
  req.path = std::move(*path);
  if (q != std::string_view::npos) {
    req.raw_query = std::string(target.substr(q + 1));
    auto form = parse_urlencoded(req.raw_query);
    if (!form) {
      auto e = form.take_error();
      if (e.code == ErrorCode::InvalidUtf8) e.message = "Tham số truy vấn không phải văn bản UTF-8 hợp lệ.";
      else if (e.code == ErrorCode::BadRequest) e.message = "Tham số truy vấn có mã hóa phần trăm (%) không hợp lệ.";
      else if (e.code == ErrorCode::PayloadTooLarge) e.message = "Địa chỉ yêu cầu có quá nhiều tham số truy vấn.";
      return e;
    }
    req.query = std::move(*form);
  }
  return {};
}

namespace {

using Parser = bhttp::request_parser<bhttp::string_body>;

void init_parser(Parser& p, const ServerOptions& opt) {
  p.header_limit(static_cast<std::uint32_t>(opt.max_header));
  // No body limit while reading the header: Beast would otherwise reject a Content-Length
  // over the server default before the route (which may allow more) is known. begin_request
  // checks Content-Length against the route's limit and sets it on the parser.
  p.body_limit(std::numeric_limits<std::uint64_t>::max());
}

/// True for read errors after which the client is simply gone: no answer is owed.
bool client_gone(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
         ec == asio::error::connection_reset;
}

/// The answer to a failed header or body read.
Error read_error(const beast::error_code& ec, bool body) {
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return Error::of(ErrorCode::HeaderTooLarge);
  if (ec == bhttp::error::body_limit) return Error::of(ErrorCode::PayloadTooLarge);
  if (ec == beast::error::timeout) return Error::of(ErrorCode::RequestTimeout);
  return Error::of(ErrorCode::BadRequest,
                   body ? "Phần thân yêu cầu HTTP không đúng cú pháp." : "Yêu cầu HTTP không đúng cú pháp.");
}

/// After the header: fills req from it (method, headers, proxy facts, target) and sets the
/// body limit of the route on the parser. An error is answered without reading the body.
std::optional<Error> begin_request(Parser& parser, const ServerOptions& opt, const Router& router, Request& req,
                                   Match& m) {
  auto& head = parser.get();
  req.method = std::string(sv(head.method_string()));
  for (const auto& f : head) req.headers.emplace_back(lower(sv(f.name_string())), std::string(sv(f.value())));
  if (opt.trust_proxy) {
    auto xff = req.header("x-forwarded-for");
    if (!xff.empty()) req.remote_ip = std::string(core::trim(xff.substr(0, xff.find(','))));
    req.secure = req.header("x-forwarded-proto") == "https";
    auto rid = req.header("x-request-id");
    if (valid_request_id(rid)) req.request_id = std::string(rid);
  }
  if (auto st = parse_target(sv(head.target()), req); !st) {
    // req.path stays empty (it only ever holds validated text), but an API client still
    // gets the API's JSON error shape.
    if (req.target.starts_with("/api/")) req.path = "/api/";
    return st.take_error();
  }
  size_t limit = opt.max_body;
  m = router.match(req.method, req.path);
  if (m.route && m.route->options.max_body) limit = m.route->options.max_body;
  auto cl = parser.content_length();
  if (cl && *cl > limit) return Error::of(ErrorCode::PayloadTooLarge);
  parser.body_limit(limit);
  return std::nullopt;
}

}  // namespace

Response Server::handle_bytes(std::string_view raw) {
  int64_t t0 = core::mono_ns();
  Parser parser;
  init_parser(parser, opt_);
  Request req;
  req.remote_ip = "127.0.0.1";
  req.request_id = next_request_id();
  beast::error_code ec;
  // Feeds raw to the parser until the header (or the whole message) is done; running out of
  // bytes first is a partial message, as when a client closes mid-request.
  auto feed = [&](bool whole) {
    parser.eager(whole);
    while (!(whole ? parser.is_done() : parser.is_header_done())) {
      size_t n = raw.empty() ? 0 : parser.put(asio::buffer(raw.data(), raw.size()), ec);
      raw.remove_prefix(n);
      if (raw.empty() || (ec == bhttp::error::need_more && n == 0)) {
        if (ec == bhttp::error::need_more) ec = {};
        if (!ec && !(whole ? parser.is_done() : parser.is_header_done()) && parser.got_some()) parser.put_eof(ec);
        if (!ec && !(whole ? parser.is_done() : parser.is_header_done())) ec = bhttp::error::partial_message;
        return;
      }
      if (ec == bhttp::error::need_more) ec = {};
      if (ec) return;
    }
  };
  std::optional<Error> err;
  Match m;
  feed(false);
  if (ec) {
    err = read_error(ec, false);
  } else {
    err = begin_request(parser, opt_, router_, req, m);
    if (!err && !parser.is_done()) {
      feed(true);
      if (ec) err = read_error(ec, true);
    }
  }
  if (err) {
    req.route = "(protocol)";
    Response res = error(req, *err);
    finish(req, res, t0);
    return res;
  }
  req.body = std::move(parser.get().body());
  return handle(req, std::move(m));
}

struct Server::Impl {
  asio::io_context ioc{1};  // the acceptor's; also serves connections, as one of the threads
  std::vector<std::unique_ptr<asio::io_context>> more;  // one per further thread
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  size_t next_ctx = 0;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer grace{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};
  std::mutex mu;
  std::map<uint64_t, std::weak_ptr<ConnState>> conns;
  uint64_t next_id = 0;
  uint16_t port = 0;
  std::unique_ptr<asio::signal_set> signals;
};

Server::Server(ServerOptions o, const Router& r) : opt_(std::move(o)), router_(r), impl_(std::make_unique<Impl>()) {}
Server::~Server() = default;

void Server::use(Before b) { before_.push_back(std::move(b)); }
void Server::after(After a) { after_.push_back(std::move(a)); }
void Server::on_error(ErrorPage e) { error_page_ = std::move(e); }
void Server::cache_key(CacheKey k) { cache_key_ = std::move(k); }
uint16_t Server::port() const { return impl_->port; }

core::Status Server::bind() {
  beast::error_code ec;
  auto addr = asio::ip::make_address(opt_.host, ec);
  if (ec) return Error::of(ErrorCode::Validation, "Địa chỉ lắng nghe không hợp lệ: " + opt_.host);
  tcp::endpoint ep(addr, opt_.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::of(ErrorCode::Unavailable,
                     "Không lắng nghe được trên " + opt_.host + ":" + std::to_string(opt_.port) + ": " + ec.message());
  impl_->port = a.local_endpoint().port();
  return {};
}

Response Server::error(const Request& req, const core::Error& e) {
  if (req.wants_json()) return Response::json_error(e);
  if (error_page_) {
    // The error page is rendered from inside exception handlers and for protocol errors:
    // if it fails too, the client still gets the message, as plain text.
    try {
      auto r = error_page_(req, e);
      r.status = core::error_status(e.code);
      return r;
    } catch (const std::exception& x) {
      core::log_error("error page failed rid={} what=\"{}\"", req.request_id, x.what());
    }
  }
  return Response::text(e.message + "\n", core::error_status(e.code));
}

Response Server::handle(Request& req) { return handle(req, router_.match(req.method, req.path)); }

Response Server::handle(Request& req, Match m) {
  int64_t t0 = core::mono_ns();
  Response res;
  std::optional<std::string> cache_key;
  try {
    if (!m.route) {
      req.route = "(unmatched)";
      if (!m.allowed.empty()) {
        res = error(req, Error::of(ErrorCode::MethodNotAllowed));
        std::string allow;
        for (const auto& a : m.allowed) {
          allow += (allow.empty() ? "" : ", ") + a;
          if (a == "GET") allow += ", HEAD";  // the router answers HEAD with GET routes
        }
        res.set_header("allow", allow);
      } else {
        res = error(req, Error::of(ErrorCode::NotFound));
      }
    } else {
      req.route = m.route->pattern;
      req.params = std::move(m.params);
      const int ttl = m.route->options.anon_cache_s;
      if (ttl > 0 && cache_key_ && (req.method == "GET" || req.method == "HEAD")) cache_key = cache_key_(req);
      std::optional<Response> cached;
      if (cache_key) cached = cache_.get(*cache_key, accepts_gzip(req), core::mono_ns());
      if (cached) {
        res = std::move(*cached);
      } else {
        std::optional<Response> early;
        for (const auto& b : before_) {
          early = b(req, *m.route);
          if (early) break;
        }
        res = early ? std::move(*early) : m.route->handler(req);
        // Only what every anonymous visitor would get: a plain 200 that sets no cookie.
        if (cache_key && res.status == 200 && !req.user.signed_in() && req.set_cookies.empty() &&
            res.header("set-cookie").empty())
          cache_.put(*cache_key, res, ttl, core::mono_ns());
      }
    }
  } catch (const HttpError& e) {
    res = error(req, e.error);
  } catch (const std::exception& e) {
    core::log_error("handler exception rid={} route={} what=\"{}\"", req.request_id, req.route, e.what());
    res = error(req, Error::of(ErrorCode::Internal));
  }
  for (const auto& a : after_) a(req, res);
  // A write answered successfully may change any public page: start afresh (unless its
  // route says it changes none — a contest rush must not keep emptying the cache).
  if (req.method != "GET" && req.method != "HEAD" && res.status < 400 && !(m.route && m.route->options.keeps_pages))
    cache_.clear();
  finish(req, res, t0);
  return res;
}

void Server::finish(const Request& req, Response& res, int64_t started_ns) {
  res.set_header("x-request-id", req.request_id);
  res.set_header("x-content-type-options", "nosniff");
  res.set_header("referrer-policy", "strict-origin-when-cross-origin");
  res.set_header("x-frame-options", "DENY");
  res.set_header("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (res.header("content-security-policy").empty())
    res.set_header("content-security-policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   "media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                   "frame-ancestors 'none'");
  if (req.secure) res.set_header("strict-transport-security", "max-age=31536000");
  for (const auto& c : req.set_cookies) res.add_cookie(c);
  if (res.header("cache-control").empty())
    res.set_header("cache-control", req.user.signed_in() ? "private, no-store" : "no-cache");
  if (!res.body.empty() && compressible(res.content_type) && res.body.size() >= 1024 &&
      res.header("content-encoding").empty() && accepts_gzip(req)) {
    auto z = gzip(res.body);
    if (!z.empty() && z.size() < res.body.size()) {
      res.body = std::move(z);
      res.set_header("content-encoding", "gzip");
    }
  }
  if (compressible(res.content_type)) res.set_header("vary", "Accept-Encoding");
  double secs = static_cast<double>(core::mono_ns() - started_ns) / 1e9;
  metrics_.observe(req.route.empty() ? "(unmatched)" : req.route, req.method.empty() ? "-" : req.method,
                   res.status, secs);
  if (opt_.access_log)
    core::log_info("access rid={} ip={} method={} path=\"{}\" route=\"{}\" status={} bytes={} ms={:.2f} user={}",
                   req.request_id, req.remote_ip, req.method, req.path.substr(0, 200), req.route, res.status,
                   res.body.size(), secs * 1000, req.user.user_id);
}

namespace {

// A header line must not carry CR, LF or NUL: a handler that copies user input into a header
// would otherwise let the client split the response. Such headers are dropped and logged.
bool header_safe(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

asio::awaitable<void> write_response(ConnState& cs, const Request& req, Response& res, unsigned version, bool keep,
                                     beast::error_code& ec) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  out.set(bhttp::field::server, "pbgdpl");
  if (header_safe(res.content_type)) out.set(bhttp::field::content_type, res.content_type);
  for (const auto& [k, v] : res.headers) {
    if (header_safe(k) && header_safe(v) && !k.empty()) {
      out.insert(k, v);
    } else {
      core::log_error("unsafe response header dropped rid={} route={} name=\"{}\"", req.request_id, req.route,
                      k.substr(0, 64));
    }
  }
  out.keep_alive(keep);
  // 1xx, 204 and 304 never have a body; 204 must not and 304 should not claim a length
  // (a cache would take "Content-Length: 0" as the stored page's new length).
  bool bodiless = res.status < 200 || res.status == 204 || res.status == 304;
  if (!bodiless) out.content_length(res.body.size());
  if (req.method != "HEAD" && !bodiless) out.body() = std::move(res.body);
  co_await bhttp::async_write(cs.stream, out, asio::redirect_error(asio::use_awaitable, ec));
}

// After an error answer to a request whose bytes were not all read (body over the limit,
// broken header), the client may still be sending. Closing a socket with unread input makes
// the kernel send RST, which can destroy the answer before the client reads it, so the user
// sees "connection reset" instead of the 413 page. Instead: send FIN, then read and discard
// for a bounded time and size (nginx's lingering close).
asio::awaitable<void> linger_close(ConnState& cs, int max_wait_s, size_t max_bytes) {
  beast::error_code ec;
  cs.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  cs.stream.expires_after(std::chrono::seconds(max_wait_s));
  std::array<char, 16384> sink;
  size_t total = 0;
  while (total < max_bytes) {
    total += co_await cs.stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
}

}  // namespace

void Server::run() {
  auto* impl = impl_.get();
  Server* self = this;
  int n = opt_.threads > 0 ? opt_.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < n; ++i) {
    impl->more.push_back(std::make_unique<asio::io_context>(1));
    impl->guards.push_back(asio::make_work_guard(*impl->more.back()));
  }

  auto session = [self, impl](std::shared_ptr<ConnState> cs, std::string ip) -> asio::awaitable<void> {
    const auto& opt = self->opt_;
    beast::flat_buffer buf;
    bool first = true;
    bool drain = false;  // unread request bytes may follow an error answer: close gently
    for (;;) {
      if (impl->stopping) break;
      Parser parser;
      init_parser(parser, opt);
      cs->stream.expires_after(std::chrono::seconds(first ? opt.read_timeout_s : opt.idle_timeout_s));
      cs->busy = false;
      beast::error_code ec;
      co_await bhttp::async_read_header(cs->stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
      cs->busy = true;
      first = false;
      int64_t t0 = core::mono_ns();
      Request req;
      req.remote_ip = ip;
      req.request_id = next_request_id();
      if (ec) {
        if (client_gone(ec)) break;
        if (ec == beast::error::timeout && buf.size() == 0) break;  // idle keep-alive connection
        req.route = "(protocol)";
        Response res = self->error(req, read_error(ec, false));
        self->finish(req, res, t0);
        cs->stream.expires_after(std::chrono::seconds(5));
        co_await write_response(*cs, req, res, 11, false, ec);
        drain = !ec;
        break;
      }
      auto& head = parser.get();
      bool keep = head.keep_alive() && !impl->stopping;
      Error perr;
      bool bad = false;
      Match match;
      if (auto e = begin_request(parser, opt, self->router_, req, match)) {
        perr = std::move(*e);
        bad = true;
      }
      if (!bad && !parser.is_done()) {
        if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
          co_await bhttp::async_write(cs->stream, cont, asio::redirect_error(asio::use_awaitable, ec));
          if (ec) break;
        }
        cs->stream.expires_after(std::chrono::seconds(opt.read_timeout_s));
        co_await bhttp::async_read(cs->stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          if (client_gone(ec)) break;
          perr = read_error(ec, true);
          bad = true;
        }
      }
      Response res;
      if (bad) {
        keep = false;
        drain = !parser.is_done();
        req.route = "(protocol)";
        res = self->error(req, perr);
        self->finish(req, res, t0);
      } else {
        req.body = std::move(parser.get().body());
        res = self->handle(req, std::move(match));
      }
      keep = keep && !impl->stopping;  // stop() arrived while handling: say "close"
      cs->stream.expires_after(std::chrono::seconds(opt.read_timeout_s));
      co_await write_response(*cs, req, res, head.version(), keep, ec);
      if (ec) drain = false;
      if (ec || !keep) break;
    }
    if (drain) {
      co_await linger_close(*cs, std::max(1, std::min(opt.read_timeout_s, 2)), size_t{64} << 20);
    } else {
      beast::error_code ignored;
      cs->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  };

  auto accept_loop = [self, impl, session]() -> asio::awaitable<void> {
    for (;;) {
      beast::error_code ec;
      // Connections are dealt out to the threads' io_contexts in turn; one stays on its
      // thread for life, so it needs no strand.
      size_t k = impl->next_ctx++ % (impl->more.size() + 1);
      asio::io_context& target = k == 0 ? impl->ioc : *impl->more[k - 1];
      auto sock = co_await impl->acceptor.async_accept(target, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (impl->stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // EMFILE and friends: keep serving
      }
      beast::error_code ep_ec;
      auto ep = sock.remote_endpoint(ep_ec);
      std::string ip = ep_ec ? std::string("?") : ep.address().to_string();
      sock.set_option(tcp::no_delay(true), ep_ec);
      auto cs = std::make_shared<ConnState>(tcp::socket(std::move(sock)));
      uint64_t id;
      {
        std::lock_guard lock(impl->mu);
        id = ++impl->next_id;
        impl->conns[id] = cs;
      }
      ++impl->active;
      auto ex = cs->stream.get_executor();
      asio::co_spawn(ex, session(cs, ip), [impl, id](std::exception_ptr) {
        {
          std::lock_guard lock(impl->mu);
          impl->conns.erase(id);
        }
        if (--impl->active == 0 && impl->stopping)
          asio::post(impl->ioc, [impl] { impl->grace.cancel(); });
      });
      (void)self;
    }
  };

  asio::co_spawn(impl->ioc, accept_loop(), asio::detached);

  impl->signals = std::make_unique<asio::signal_set>(impl->ioc, SIGINT, SIGTERM);
  impl->signals->async_wait([self](const beast::error_code& ec, int sig) {
    if (ec) return;
    core::log_info("signal {} received: draining connections", sig);
    self->stop();
  });

  std::vector<std::thread> threads;
  for (auto& c : impl->more) threads.emplace_back([ctx = c.get()] { ctx->run(); });
  impl->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  auto* impl = impl_.get();
  if (impl->stopping.exchange(true)) return;
  asio::post(impl->ioc, [this, impl] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    if (impl->signals) impl->signals->cancel(ec);
    std::vector<std::shared_ptr<ConnState>> live;
    {
      std::lock_guard lock(impl->mu);
      for (auto& [_, w] : impl->conns)
        if (auto s = w.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) {
      asio::post(s->stream.get_executor(), [s] {
        if (!s->busy) s->stream.cancel();
      });
    }
    // The other threads' contexts end when their last connection does.
    for (auto& g : impl->guards) g.reset();
    if (impl->active == 0) return;
    impl->grace.expires_after(std::chrono::seconds(opt_.shutdown_grace_s));
    impl->grace.async_wait([impl](const beast::error_code& e) {
      if (!e) {
        core::log_warn("shutdown grace period over: closing remaining connections");
        impl->ioc.stop();
        for (auto& c : impl->more) c->stop();
      }
    });
  });
}

}  // namespace pbgdpl::http
