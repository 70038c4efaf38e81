// Socket-level tests: the whole App (SQLite) served on a loopback port, driven with raw
// bytes, asserting what a browser, an API client or a monitoring system would see.
#include "http/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "client.h"
#include "support.h"

namespace pbgdpl::testing {
namespace {

using Clock = std::chrono::steady_clock;

long ms_since(Clock::time_point t) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

core::Config fast_timeouts() {
  core::Config c;
  c.read_timeout_s = 1;
  return c;
}

std::string get_req(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra + "\r\n";
}

void expect_security_headers(const HttpResponse& r, const std::string& what) {
  auto csp = r.header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << what;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what;
  EXPECT_EQ(csp.find("'unsafe-inline'"), std::string::npos) << what;
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(r.header("referrer-policy"), "strict-origin-when-cross-origin") << what;
  EXPECT_EQ(r.header("x-frame-options"), "DENY") << what;
  EXPECT_FALSE(r.header("x-request-id").empty()) << what;
}

class HttpServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer("sqlite", fast_timeouts()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static uint16_t port() { return server_->port(); }
  static HttpResponse get(const std::string& target, const std::string& extra = "") {
    return raw_request(port(), get_req(target, extra));
  }
  static TestServer* server_;
};
TestServer* HttpServer::server_ = nullptr;

// ---- protocol errors ------------------------------------------------------------------

TEST_F(HttpServer, MalformedRequestLineIs400) {
  for (const std::string bad : {"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n",
                                "GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n", "G\x01T / HTTP/1.1\r\n\r\n"}) {
    auto t0 = Clock::now();
    auto r = raw_request(port(), bad, 3000);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("Yêu cầu HTTP không đúng cú pháp."), std::string::npos) << bad;
    EXPECT_EQ(r.header("connection"), "close") << bad;
    EXPECT_LT(ms_since(t0), 2000) << "answered at once, not after a timeout";
    expect_security_headers(r, bad);
  }
}

TEST_F(HttpServer, ConflictingContentLengthIs400) {
  auto r = raw_request(port(),
                       "POST /dang-nhap HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 3000);
  EXPECT_EQ(r.status, 400);
}

TEST_F(HttpServer, OversizedHeaderIs431) {
  auto r = raw_request(port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", 3000);
  EXPECT_EQ(r.status, 431);
  EXPECT_NE(r.body.find("Phần đầu yêu cầu quá lớn."), std::string::npos);
  // Many small headers add up the same way.
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 600; ++i) many += "X-H" + std::to_string(i) + ": " + std::string(30, 'v') + "\r\n";
  EXPECT_EQ(raw_request(port(), many + "\r\n", 3000).status, 431);
  // Just under the limit is fine.
  auto ok = raw_request(port(), get_req("/healthz", "X-Big: " + std::string(15000, 'a') + "\r\n"), 3000);
  EXPECT_EQ(ok.status, 200);
}

TEST_F(HttpServer, TargetOver8KiBIs414) {
  auto r = get("/" + std::string(9000, 'a'));
  EXPECT_EQ(r.status, 414);
  EXPECT_NE(r.body.find("Địa chỉ yêu cầu quá dài."), std::string::npos);
}

TEST_F(HttpServer, BodyOverLimitIs413WithoutReadingIt) {
  // Only the header is sent: the answer must not wait for 2 MB that never comes.
  auto t0 = Clock::now();
  auto r = raw_request(port(),
                       "POST /dang-nhap HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: 2097152\r\n\r\n",
                       5000);
  EXPECT_EQ(r.status, 413);
  EXPECT_LT(ms_since(t0), 900) << "before the 1 s read timeout";
  EXPECT_NE(r.body.find("Dữ liệu gửi lên vượt quá dung lượng cho phép."), std::string::npos);
  EXPECT_EQ(r.header("connection"), "close");
  expect_security_headers(r, "413");
}

TEST_F(HttpServer, BodyOverLimitOnApiIsJson413) {
  auto r = raw_request(port(),
                       "POST /api/v1/accounts/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 5000000\r\n\r\n",
                       5000);
  EXPECT_EQ(r.status, 413);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.body;
  EXPECT_EQ(j["error"]["code"], "payload_too_large");
}

TEST_F(HttpServer, ChunkedBodyOverLimitIs413) {
  // The first chunk alone (0x200000 = 2 MiB) is over the 1 MiB default.
  auto r = raw_request(port(),
                       "POST /dang-nhap HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\nabc", 5000);
  EXPECT_EQ(r.status, 413);
}

TEST_F(HttpServer, BodyOverLimitSentInFullStillGets413) {
  // Browsers and curl send the whole body before reading: the server must drain what it
  // will not use instead of resetting the connection, or the user sees "connection reset"
  // instead of the Vietnamese 413 page.
  std::string body(16 << 20, 'a');  // more than the kernel buffers between us hold
  for (int round = 0; round < 3; ++round) {
    Conn c(port());
    ASSERT_TRUE(c.connected());
    // Like a browser: the whole request first, then read.
    bool sent = c.send_all("POST /dang-nhap HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_TRUE(sent) << "round " << round << ": the server reset the connection while the body was sent";
    auto r = c.read_response(5000);
    EXPECT_EQ(r.status, 413) << "round " << round;
  }
}

TEST_F(HttpServer, SlowHeaderIsCutOffAfterReadTimeout) {
  Conn c(port());
  ASSERT_TRUE(c.connected());
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send_all("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
  auto r = c.read_response(4000);
  bool closed = r.status != 0 || c.closed_by_peer(4000);
  long ms = ms_since(t0);
  EXPECT_TRUE(closed) << "a slow client must not hold the connection";
  EXPECT_TRUE(r.status == 0 || r.status == 408) << r.status;
  EXPECT_GE(ms, 800);
  EXPECT_LT(ms, 3500) << "read_timeout_s=1";
}

TEST_F(HttpServer, SlowBodyIsCutOffAfterReadTimeout) {
  Conn c(port());
  ASSERT_TRUE(c.connected());
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send_all("POST /dang-nhap HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nlogin="));
  auto r = c.read_response(4000);
  bool closed = r.status != 0 || c.closed_by_peer(4000);
  EXPECT_TRUE(closed);
  EXPECT_TRUE(r.status == 0 || r.status == 408) << r.status;
  EXPECT_LT(ms_since(t0), 3500);
}

TEST_F(HttpServer, ServerSurvivesProtocolErrors) {
  (void)raw_request(port(), "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 2000);  // TLS hello
  (void)raw_request(port(), std::string("\0\0\0\0", 4) + "\r\n\r\n", 2000);
  EXPECT_EQ(get("/healthz").status, 200);
}

// ---- keep-alive and HEAD --------------------------------------------------------------

TEST_F(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  Conn c(port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto r = c.read_response();
    EXPECT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.body, "ok") << i;
    EXPECT_NE(r.header("connection"), "close");
  }
  // Pipelined: both answers, in order.
  ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /khong-co HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_response().status, 200);
  EXPECT_EQ(c.read_response().status, 404);
  // Connection: close is honoured.
  ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  auto last = c.read_response();
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer(2000));
}

TEST_F(HttpServer, Http10ClosesUnlessKeepAliveAsked) {
  Conn c(port());
  ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(c.read_response().status, 200);
  EXPECT_TRUE(c.closed_by_peer(2000));
}

TEST_F(HttpServer, HeadHasHeadersButNoBody) {
  Conn c(port());
  ASSERT_TRUE(c.send_all("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = c.read_response(5000, true);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), "2") << "the length GET would send";
  EXPECT_EQ(r.body, "");
  // The next response on the same connection starts right away: no stray body bytes.
  ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  auto g = c.read_response();
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.body, "ok");
}

TEST_F(HttpServer, MethodNotAllowedListsAllow) {
  auto r = raw_request(port(), "DELETE /dang-nhap HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, HEAD, POST");
  EXPECT_NE(r.body.find("Phương thức này không được hỗ trợ tại đây."), std::string::npos);
}

// ---- error shapes ---------------------------------------------------------------------

TEST_F(HttpServer, UnknownRouteIsVietnamese404Page) {
  auto r = get("/trang-khong-ton-tai", "Accept: text/html,application/xhtml+xml\r\n");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<html lang=\"vi\""), std::string::npos);
  EXPECT_NE(r.body.find("Không tìm thấy trang"), std::string::npos);
  EXPECT_NE(r.body.find(r.header("x-request-id")), std::string::npos) << "the page shows the request id";
}

TEST_F(HttpServer, ApiPathGetsJsonErrors) {
  auto r = get("/api/v1/khong-co");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_EQ(j["error"]["message"], "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.");
}

TEST_F(HttpServer, AcceptJsonGetsJsonErrorsAnywhere) {
  auto r = get("/khong-co", "Accept: application/json\r\n");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "not_found");
  auto api_unauth = get("/api/v1/accounts/me");
  EXPECT_EQ(api_unauth.status, 401);
  EXPECT_EQ(nlohmann::json::parse(api_unauth.body)["error"]["code"], "unauthorized");
}

TEST_F(HttpServer, InvalidUtf8InPathIsVietnamese400) {
  for (const char* t : {"/%C3%28", "/van-ban/%FF", "/%C0%AF"}) {
    auto r = get(t);
    EXPECT_EQ(r.status, 400) << t;
    EXPECT_NE(r.body.find("Đường dẫn không phải văn bản UTF-8 hợp lệ."), std::string::npos) << t;
    EXPECT_NE(r.body.find("invalid_utf8"), std::string::npos) << t;
  }
}

TEST_F(HttpServer, InvalidUtf8OnApiPathIsJson) {
  auto r = get("/api/v1/accounts/orgs/%FF");
  EXPECT_EQ(r.status, 400);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.body;
  EXPECT_EQ(j["error"]["code"], "invalid_utf8");
  auto q = get("/api/v1/accounts/orgs?cursor=%C3%28");
  EXPECT_EQ(nlohmann::json::parse(q.body)["error"]["message"], "Tham số truy vấn không phải văn bản UTF-8 hợp lệ.");
}

TEST_F(HttpServer, InvalidUtf8InQueryIs400) {
  auto r = get("/dang-nhap?next=%C0%AF", "Accept: application/json\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "invalid_utf8");
}

TEST_F(HttpServer, BadPercentEscapeIs400) {
  EXPECT_EQ(get("/van-ban/%ZZ").status, 400);
  EXPECT_EQ(get("/dang-nhap?next=%E").status, 400);
}

// ---- headers on every response --------------------------------------------------------

TEST_F(HttpServer, SecurityHeadersOnEveryResponse) {
  expect_security_headers(get("/"), "/");
  expect_security_headers(get("/khong-co"), "404");
  expect_security_headers(get("/api/v1/khong-co"), "api 404");
  expect_security_headers(get("/healthz"), "healthz");
  expect_security_headers(get("/metrics"), "metrics");
  expect_security_headers(get("/robots.txt"), "robots");
  expect_security_headers(get("/%FF"), "bad utf-8");
  expect_security_headers(raw_request(port(), "BROKEN\r\n\r\n"), "protocol error");
  expect_security_headers(raw_request(port(), "PUT /dang-nhap HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "405");
}

TEST_F(HttpServer, RequestIdIsFreshAndNotTakenFromUntrustedClients) {
  auto a = get("/healthz", "X-Request-Id: injected-by-client\r\n");
  auto b = get("/healthz");
  EXPECT_FALSE(a.header("x-request-id").empty());
  EXPECT_NE(a.header("x-request-id"), "injected-by-client") << "trust_proxy is off";
  EXPECT_NE(a.header("x-request-id"), b.header("x-request-id"));
  EXPECT_TRUE(std::regex_match(a.header("x-request-id"), std::regex("[0-9a-f]{16}"))) << a.header("x-request-id");
}

TEST_F(HttpServer, HomePageIsVietnameseHtml) {
  auto r = get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<html lang=\"vi\""), std::string::npos);
  EXPECT_EQ(r.header("cache-control"), "no-cache");
}

TEST_F(HttpServer, GzipWhenAcceptedWithVary) {
  auto plain = get("/");
  ASSERT_GE(plain.body.size(), 1024u) << "the home page is large enough to compress";
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_EQ(plain.header("vary"), "Accept-Encoding");
  auto z = get("/", "Accept-Encoding: gzip, deflate, br\r\n");
  EXPECT_EQ(z.header("content-encoding"), "gzip");
  EXPECT_EQ(z.header("vary"), "Accept-Encoding");
  EXPECT_EQ(std::stoul(z.header("content-length")), z.body.size());
  EXPECT_LT(z.body.size(), plain.body.size());
  ASSERT_GE(z.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(z.body[0]), 0x1f);
  auto small = get("/healthz", "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(small.header("content-encoding"), "");
  EXPECT_EQ(small.body, "ok");
}

// ---- static assets, health, metrics ---------------------------------------------------

TEST_F(HttpServer, FingerprintedStaticAssetIsImmutableAndRevalidates) {
  auto home = get("/");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(home.body, m, std::regex("/static/app\\.([0-9a-f]{10})\\.css"))) << home.body;
  std::string url = m[0], hash = m[1];
  auto css = get(url);
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.header("etag"), "\"" + hash + "\"");
  EXPECT_EQ(css.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_FALSE(css.body.empty());
  expect_security_headers(css, "static");

  Conn c(port());
  ASSERT_TRUE(c.send_all("GET " + url + " HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"" + hash + "\"\r\n\r\n"));
  auto nm = c.read_response(5000, true);
  EXPECT_EQ(nm.status, 304);
  EXPECT_EQ(nm.header("etag"), "\"" + hash + "\"");
  // Nothing follows the 304 header: the next response parses cleanly.
  ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  auto next = c.read_response();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "ok");

  std::string wrong = hash == "0000000000" ? "1111111111" : "0000000000";
  EXPECT_EQ(get("/static/app." + wrong + ".css").status, 404);
  EXPECT_EQ(get("/static/khong-co.css").status, 404);
  auto unhashed = get("/static/app.css");
  EXPECT_EQ(unhashed.status, 200);
  EXPECT_EQ(unhashed.header("cache-control"), "public, max-age=300");
}

TEST_F(HttpServer, HealthzSaysOk) {
  auto r = get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(r.all("set-cookie").empty()) << "bare routes do no session work";
}

TEST_F(HttpServer, MetricsExposeRequestsLatencyBuildAndPool) {
  ASSERT_EQ(get("/healthz").status, 200);
  ASSERT_EQ(get("/khong-co-ca").status, 404);
  auto r = get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto& b = r.body;
  EXPECT_TRUE(std::regex_search(b, std::regex("pbgdpl_http_requests_total\\{route=\"/healthz\",method=\"GET\","
                                               "status=\"200\"\\} [1-9][0-9]*\n")))
      << b;
  EXPECT_TRUE(std::regex_search(b, std::regex("pbgdpl_http_requests_total\\{route=\"\\(unmatched\\)\",method=\"GET\","
                                               "status=\"404\"\\} [1-9]")));
  EXPECT_NE(b.find("pbgdpl_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"}"), std::string::npos);
  EXPECT_NE(b.find("pbgdpl_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(b.find("pbgdpl_build_info{version=\"" PBGDPL_VERSION "\",backend=\"sqlite\"} 1"), std::string::npos);
  EXPECT_TRUE(std::regex_search(b, std::regex("pbgdpl_db_pool_connections\\{backend=\"sqlite\"\\} [0-9]+\n")));
}

// ---- hostile input --------------------------------------------------------------------

TEST_F(HttpServer, InjectionAndNulBytesNeverCause500) {
  const std::vector<std::string> targets = {
      "/van-ban/%27%20OR%20%271%27%3D%271",
      "/quan-tri/don-vi/%27%3B%20DROP%20TABLE%20orgs%3B--",
      "/quan-tri/nguoi-dung/1%20OR%201%3D1",
      "/api/v1/accounts/orgs?cursor=1%20OR%201%3D1",
      "/api/v1/accounts/orgs?cursor=%27%3B--&limit=%27",
      "/api/v1/accounts/orgs?limit=99999999999999999999",
      "/api/v1/accounts/orgs?cursor=-99999999999999999999999",
      "/dang-nhap?next=%3Cscript%3Ealert(1)%3C/script%3E",
      "/dang-nhap?next=javascript:alert(1)",
      "/dang-nhap?next=//evil.example",
      "/dang-nhap?next=%00",
      "/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
      "/<script>alert(1)</script>",
      "/a%00b",
      "/api/v1/%00",
      "/?q=%00%00&%00=1",
      "/dat-lai-mat-khau?token=%27%20OR%20%27%27%3D%27",
      "/static/..%2F..%2Fetc%2Fpasswd",
      "/static/%2e%2e/%2e%2e/etc/passwd",
      "/static/.css",
      "/static/..........",
  };
  for (const auto& t : targets) {
    for (const char* accept : {"text/html", "application/json"}) {
      auto r = get(t, std::string("Accept: ") + accept + "\r\n");
      EXPECT_GT(r.status, 0) << t;
      EXPECT_LT(r.status, 500) << t << " " << accept << "\n" << r.body;
      EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos) << t;
    }
  }
  // A raw NUL or control byte in the request line is a protocol error, not a crash.
  auto nul = [](std::string s) {  // '@' stands for a NUL byte
    for (auto& c : s)
      if (c == '@') c = '\0';
    return s;
  };
  for (const std::string& raw : {nul("GET /a@b HTTP/1.1\r\nHost: x\r\n\r\n"), nul("GET /?q=@ HTTP/1.1\r\nHost: x\r\n\r\n"),
                                std::string("GET /a\x7f HTTP/1.1\r\nHost: x\r\n\r\n"),
                                nul("GET / HTTP/1.1\r\nHost: x\r\nX-A: a@b\r\n\r\n")}) {
    ASSERT_TRUE(raw.find('\0') != std::string::npos || raw.find('\x7f') != std::string::npos);
    auto r = raw_request(port(), raw, 3000);
    EXPECT_EQ(r.status, 400) << raw;
  }
  EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(HttpServer, HostileFormFieldsNeverCause500) {
  Browser b(port());
  ASSERT_EQ(b.get("/dang-nhap").status, 200);
  const std::vector<std::pair<std::string, std::string>> attempts = {
      {"' OR '1'='1' --", "x' OR 'x'='x"},
      {"admin@example.vn'; DROP TABLE users; --", "matkhau123"},
      {std::string("a\0b@example.vn", 14), std::string("pass\0word", 9)},
      {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>"},
      {std::string(5000, 'a'), std::string(5000, 'b')},
  };
  for (const auto& [login, pw] : attempts) {
    auto r = b.post_form("/dang-nhap", {{"login", login}, {"password", pw}, {"next", "/"}});
    EXPECT_GT(r.status, 0);
    EXPECT_LT(r.status, 500) << login << "\n" << r.body;
    EXPECT_NE(r.status, 303) << "no way in";
    EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos);
  }
  // A form body with broken escapes or invalid UTF-8 is a 400, never a 500. (The CSRF token
  // goes in the header: the middleware cannot read it from a body it cannot decode.)
  auto bad = b.send("POST", "/dang-nhap", "login=%ZZ&password=x",
                    {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-CSRF-Token", b.csrf()}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("mã hóa phần trăm"), std::string::npos);
  auto bad8 = b.send("POST", "/dang-nhap", "login=%C3%28&password=x",
                     {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-CSRF-Token", b.csrf()}});
  EXPECT_EQ(bad8.status, 400);
  EXPECT_NE(bad8.body.find("invalid_utf8"), std::string::npos);
  // With the token inside the undecodable body: refused (400 or CSRF 403), still not a 500.
  auto no_token = b.send("POST", "/dang-nhap", "login=%ZZ&_csrf=" + b.csrf(),
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_TRUE(no_token.status == 400 || no_token.status == 403) << no_token.status;
}

// ---- per-route body limit -------------------------------------------------------------

TEST(HttpServerLimits, ImportRouteAcceptsTwoMegabytesOthersDoNot) {
  TestServer server("sqlite", fast_timeouts());
  auto made = server.app().accounts->ensure_admin("quantri@sotuphap.example.vn", "Mat-khau-du-manh-2025");
  ASSERT_TRUE(made.ok()) << made.error().message;
  Browser b(server.port());
  ASSERT_TRUE(b.login("quantri@sotuphap.example.vn", "Mat-khau-du-manh-2025"));
  ASSERT_EQ(b.get("/quan-tri/don-vi").status, 200);

  std::string csv = "khong,phai,tieu,de\n" + std::string((2 << 20) - 300, 'x');
  auto body = form_encode({{"_csrf", b.csrf()}, {"csv", csv}});
  ASSERT_GT(body.size(), size_t{1} << 20) << "over the 1 MiB default";
  ASSERT_LE(body.size(), size_t{2} << 20) << "within the import route's 2 MiB";
  auto r = b.send("POST", "/quan-tri/don-vi/nhap", body, {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_NE(r.status, 413);
  EXPECT_EQ(r.status, 422) << "the body reached the handler, which judged the CSV";
  EXPECT_NE(r.body.find("Dòng tiêu đề phải là"), std::string::npos);

  // The same body to a route with the default limit is refused.
  auto other = b.send("POST", "/quan-tri/don-vi", body, {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(other.status, 413);
  // And the import route has a limit too.
  auto huge = raw_request(server.port(),
                          "POST /quan-tri/don-vi/nhap HTTP/1.1\r\nHost: x\r\nContent-Length: 3000000\r\n\r\n", 3000);
  EXPECT_EQ(huge.status, 413);
}

// ---- graceful shutdown of the whole App -----------------------------------------------

TEST(HttpServerShutdown, StopClosesIdleKeepAliveConnectionsPromptly) {
  TestServer server("sqlite", fast_timeouts());
  uint16_t port = server.port();
  Conn idle(port);
  ASSERT_TRUE(idle.send_all("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(idle.read_response().status, 200);
  Conn never_spoke(port);
  ASSERT_TRUE(never_spoke.connected());

  auto t0 = Clock::now();
  server.stop();
  long ms = ms_since(t0);
  EXPECT_LT(ms, 2000) << "idle connections do not hold shutdown for the 10 s grace";
  EXPECT_TRUE(idle.closed_by_peer(1000));
  EXPECT_TRUE(never_spoke.closed_by_peer(1000));
  EXPECT_TRUE(refuses(port)) << "the port no longer accepts connections";
}

}  // namespace
}  // namespace pbgdpl::testing
