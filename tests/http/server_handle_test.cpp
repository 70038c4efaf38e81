#include "http/server.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "core/utf8.h"

namespace pbgdpl::http {
namespace {

using core::Error;
using core::ErrorCode;

std::string inflate_gzip(const std::string& in) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return "<init failed>";
  std::string out;
  char buf[4096];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (rc == Z_OK);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "<inflate failed>";
}

std::string vietnamese_text(size_t min_bytes) {
  std::string s;
  while (s.size() < min_bytes) s += "Điều 5. Quyền và nghĩa vụ của công dân trong việc tìm hiểu pháp luật. ";
  return s;
}

// ---- parse_target ---------------------------------------------------------------------

core::Error target_error(std::string_view target) {
  Request r;
  auto st = parse_target(target, r);
  if (st.ok()) return Error::of(ErrorCode::Internal, "accepted: " + std::string(target));
  return st.error();
}

TEST(ParseTarget, DecodesPathAndQuery) {
  Request r;
  ASSERT_TRUE(parse_target("/van-ban/lu%E1%BA%ADt-d%C3%A2n-s%E1%BB%B1?q=quy%E1%BB%81n+con&x=%2B&y=a%26b", r).ok());
  EXPECT_EQ(r.path, "/van-ban/luật-dân-sự");
  EXPECT_EQ(r.target, "/van-ban/lu%E1%BA%ADt-d%C3%A2n-s%E1%BB%B1?q=quy%E1%BB%81n+con&x=%2B&y=a%26b");
  EXPECT_EQ(r.raw_query, "q=quy%E1%BB%81n+con&x=%2B&y=a%26b");
  EXPECT_EQ(r.query.get("q"), "quyền con");
  EXPECT_EQ(r.query.get("x"), "+");
  EXPECT_EQ(r.query.get("y"), "a&b");
}

TEST(ParseTarget, PlusInPathIsNotASpace) {
  Request r;
  ASSERT_TRUE(parse_target("/tag/c++", r).ok());
  EXPECT_EQ(r.path, "/tag/c++");
}

TEST(ParseTarget, FragmentIsDropped) {
  Request r;
  ASSERT_TRUE(parse_target("/huong-dan#muc-2", r).ok());
  EXPECT_EQ(r.path, "/huong-dan");
}

TEST(ParseTarget, MustStartWithSlash) {
  for (const char* t : {"", "van-ban", "*"}) {
    auto e = target_error(t);
    EXPECT_EQ(e.code, ErrorCode::BadRequest) << t;
    EXPECT_NE(e.message.find("bắt đầu bằng dấu '/'"), std::string::npos) << t;
  }
}

TEST(ParseTarget, BadPercentEscapeIs400) {
  for (const char* t : {"/%ZZ", "/a%", "/a%4", "/%%"}) {
    auto e = target_error(t);
    EXPECT_EQ(e.code, ErrorCode::BadRequest) << t;
    EXPECT_NE(e.message.find("mã hóa phần trăm"), std::string::npos) << t;
  }
  auto q = target_error("/tim?q=%ZZ");
  EXPECT_EQ(q.code, ErrorCode::BadRequest);
  EXPECT_NE(q.message.find("Tham số truy vấn"), std::string::npos) << q.message;
}

TEST(ParseTarget, InvalidUtf8InPathIs400InvalidUtf8) {
  for (const char* t : {"/%C3%28", "/%FF", "/%C0%AF", "/van-ban/%E1%BA", "/%ED%A0%80", "/%F8%88%80%80%80"}) {
    auto e = target_error(t);
    EXPECT_EQ(e.code, ErrorCode::InvalidUtf8) << t;
    EXPECT_EQ(core::error_status(e.code), 400);
    EXPECT_EQ(e.message, "Đường dẫn không phải văn bản UTF-8 hợp lệ.") << t;
  }
  // Raw (not escaped) bytes are checked the same way.
  EXPECT_EQ(target_error("/\xC3\x28").code, ErrorCode::InvalidUtf8);
}

TEST(ParseTarget, InvalidUtf8InQueryIs400InvalidUtf8) {
  for (const char* t : {"/?q=%C3%28", "/tim?q=%FF", "/?%C0%AF=1", "/?a=1&b=%C0%AF"}) {
    auto e = target_error(t);
    EXPECT_EQ(e.code, ErrorCode::InvalidUtf8) << t;
    EXPECT_EQ(e.message, "Tham số truy vấn không phải văn bản UTF-8 hợp lệ.") << t;
  }
}

TEST(ParseTarget, ControlCharactersInPathAre400) {
  // NUL, other C0 controls, DEL, and CR/LF/TAB: a path never needs them, and a decoded CR/LF
  // could split log lines or headers downstream.
  for (const char* t : {"/a%00b", "/%01", "/a%1Fb", "/a%7F", "/a%0Ab", "/a%0D%0ASet-Cookie:%20x=1", "/a%09b"}) {
    auto e = target_error(t);
    EXPECT_EQ(e.code, ErrorCode::BadRequest) << t;
    EXPECT_NE(e.message.find("ký tự điều khiển"), std::string::npos) << t;
  }
}

TEST(ParseTarget, TooManyQueryFieldsIs413) {
  std::string t = "/tim?";
  for (int i = 0; i < 1001; ++i) t += "a=1&";
  auto e = target_error(t);
  EXPECT_EQ(core::error_status(e.code), 413);
}

TEST(ParseTarget, TargetOver8KiBIs414) {
  std::string ok = "/" + std::string(8191, 'a');
  Request r;
  EXPECT_TRUE(parse_target(ok, r).ok());
  auto e = target_error(ok + "a");
  EXPECT_EQ(e.code, ErrorCode::UriTooLong);
  EXPECT_EQ(core::error_status(e.code), 414);
  EXPECT_EQ(e.message, "Địa chỉ yêu cầu quá dài.");
}

// ---- gzip -----------------------------------------------------------------------------

TEST(Gzip, RoundTripsThroughZlibInflate) {
  for (const std::string& in : {std::string(), std::string("a"), vietnamese_text(100000)}) {
    auto z = gzip(in);
    ASSERT_GE(z.size(), 18u) << "header + trailer";
    EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
    EXPECT_EQ(inflate_gzip(z), in);
  }
  auto big = vietnamese_text(100000);
  EXPECT_LT(gzip(big).size(), big.size() / 10) << "repetitive text compresses well";
}

TEST(Gzip, RoundTripsIncompressibleBytes) {
  std::string in;
  uint32_t x = 12345;
  for (int i = 0; i < 50000; ++i) {
    x = x * 1103515245 + 12345;
    in += static_cast<char>(x >> 24);
  }
  EXPECT_EQ(inflate_gzip(gzip(in)), in);
}

// ---- Server::handle: the pipeline without a socket -------------------------------------

class Pipeline : public ::testing::Test {
 protected:
  Pipeline() {
    router.get("/xin-chao", [](Request&) { return Response::html("<p>Xin chào</p>"); });
    router.get("/lon", [](Request&) { return Response::text(vietnamese_text(4000)); });
    router.get("/nho", [](Request&) { return Response::text(vietnamese_text(500).substr(0, 900)); });
    router.get("/anh", [](Request&) {
      Response r;
      r.content_type = "image/png";
      r.body = std::string(5000, 'x');
      return r;
    });
    router.get("/dang-nhap", [](Request&) { return Response::html("form"); });
    router.post("/dang-nhap", [](Request&) { return Response::redirect("/"); });
    router.get("/api/v1/loi", [](Request&) -> Response {
      fail(Error::of(ErrorCode::Validation, "Tên đơn vị không được để trống.", "name"));
    });
    router.get("/hong", [](Request&) -> Response { throw std::runtime_error("db exploded: secret detail"); });
    router.get("/van-ban/{id:int}", [](Request& r) { return Response::text("doc " + r.param("id")); });
    ServerOptions o;
    o.access_log = false;
    server = std::make_unique<Server>(o, router);
  }

  Response get(std::string target, Headers headers = {}, std::string method = "GET") {
    Request r;
    r.method = std::move(method);
    r.request_id = "rid-test-1";
    r.headers = std::move(headers);
    auto st = parse_target(target, r);
    EXPECT_TRUE(st.ok()) << target;
    return server->handle(r);
  }

  Router router;
  std::unique_ptr<Server> server;
};

TEST_F(Pipeline, MatchedRouteAnswers) {
  auto res = get("/xin-chao");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "<p>Xin chào</p>");
  EXPECT_EQ(get("/van-ban/15").body, "doc 15");
}

TEST_F(Pipeline, HeadIsAnsweredByTheGetRoute) {
  auto res = get("/xin-chao", {}, "HEAD");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
}

TEST_F(Pipeline, IntParamWithLettersIs404NotA405) {
  auto res = get("/van-ban/abc");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.header("allow"), "");
}

TEST_F(Pipeline, WrongMethodIs405WithAllow) {
  auto res = get("/dang-nhap", {}, "DELETE");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("allow"), "GET, HEAD, POST");
  EXPECT_NE(res.body.find("Phương thức này không được hỗ trợ"), std::string::npos);
  EXPECT_EQ(get("/xin-chao", {}, "POST").header("allow"), "GET, HEAD");
}

TEST_F(Pipeline, ApiErrorsAreJson) {
  auto res = get("/api/v1/loi");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.content_type, "application/json");
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["error"]["code"], "validation_failed");
  EXPECT_EQ(j["error"]["message"], "Tên đơn vị không được để trống.");
  EXPECT_EQ(j["error"]["field"], "name");
  auto nf = nlohmann::json::parse(get("/api/v1/khong-co").body);
  EXPECT_EQ(nf["error"]["code"], "not_found");
  EXPECT_EQ(nf["error"]["message"], "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.");
}

TEST_F(Pipeline, AcceptJsonGetsJsonErrorsOutsideApi) {
  auto res = get("/khong-co", {{"accept", "application/json"}});
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(res.body)["error"]["code"], "not_found");
}

TEST_F(Pipeline, ErrorPageHookRendersHtmlWithTheRightStatus) {
  server->on_error([](const Request& req, const Error& e) {
    return Response::html("<html lang=\"vi\"><p>" + e.message + "</p><code>" + req.request_id + "</code></html>", 200);
  });
  auto res = get("/khong-co", {{"accept", "text/html"}});
  EXPECT_EQ(res.status, 404) << "the hook's status is overridden by the error's";
  EXPECT_NE(res.body.find("Không tìm thấy trang"), std::string::npos);
  EXPECT_NE(res.body.find("rid-test-1"), std::string::npos);
  // The API still gets JSON even with a page hook.
  EXPECT_EQ(get("/api/v1/khong-co").content_type, "application/json");
}

TEST_F(Pipeline, FailingErrorPageFallsBackToText) {
  server->on_error([](const Request&, const Error&) -> Response { throw std::runtime_error("template missing"); });
  auto res = get("/khong-co", {{"accept", "text/html"}});
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(res.body, "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.\n");
  EXPECT_EQ(get("/hong").status, 500);
}

TEST_F(Pipeline, HandlerExceptionIs500WithoutLeakingDetails) {
  auto res = get("/hong");
  EXPECT_EQ(res.status, 500);
  EXPECT_NE(res.body.find("Hệ thống gặp lỗi"), std::string::npos);
  EXPECT_EQ(res.body.find("secret detail"), std::string::npos);
  auto j = get("/hong", {{"accept", "application/json"}});
  EXPECT_EQ(nlohmann::json::parse(j.body)["error"]["code"], "internal_error");
}

TEST_F(Pipeline, SecurityHeadersOnEveryResponse) {
  for (const char* t : {"/xin-chao", "/khong-co", "/api/v1/loi", "/hong", "/anh"}) {
    auto res = get(t);
    auto csp = std::string(res.header("content-security-policy"));
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << t;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << t;
    EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << t;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << t;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << t;
    EXPECT_EQ(res.header("x-content-type-options"), "nosniff") << t;
    EXPECT_EQ(res.header("referrer-policy"), "strict-origin-when-cross-origin") << t;
    EXPECT_EQ(res.header("x-frame-options"), "DENY") << t;
    EXPECT_EQ(res.header("x-request-id"), "rid-test-1") << t;
    EXPECT_EQ(res.header("strict-transport-security"), "") << t << ": only behind TLS";
  }
}

TEST_F(Pipeline, HstsOnlyWhenTheProxySaysHttps) {
  Request r;
  r.method = "GET";
  r.secure = true;
  ASSERT_TRUE(parse_target("/xin-chao", r).ok());
  EXPECT_EQ(server->handle(r).header("strict-transport-security"), "max-age=31536000");
}

TEST_F(Pipeline, HandlerMayOverrideCspAndCacheControl) {
  router.get("/tu-chinh", [](Request&) {
    auto r = Response::html("x");
    r.set_header("content-security-policy", "default-src 'none'");
    r.set_header("cache-control", "public, max-age=60");
    return r;
  });
  auto res = get("/tu-chinh");
  EXPECT_EQ(res.header("content-security-policy"), "default-src 'none'");
  EXPECT_EQ(res.header("cache-control"), "public, max-age=60");
  EXPECT_EQ(get("/xin-chao").header("cache-control"), "no-cache");
}

TEST_F(Pipeline, SignedInPagesAreNotStoredByCaches) {
  server->use([](Request& req, const Route&) -> std::optional<Response> {
    req.user.user_id = 7;
    return std::nullopt;
  });
  EXPECT_EQ(get("/xin-chao").header("cache-control"), "private, no-store");
}

TEST_F(Pipeline, BeforeMiddlewareCanAnswerAndAfterSeesEveryResponse) {
  int after_calls = 0;
  server->use([](Request& req, const Route& route) -> std::optional<Response> {
    if (req.header("authorization") == "deny") return Response::text("cấm", 403);
    EXPECT_FALSE(route.pattern.empty());
    return std::nullopt;
  });
  server->after([&](const Request&, Response& res) {
    ++after_calls;
    res.set_header("x-after", "1");
  });
  auto denied = get("/xin-chao", {{"authorization", "deny"}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.body, "cấm");
  EXPECT_EQ(denied.header("x-after"), "1");
  EXPECT_EQ(get("/xin-chao").status, 200);
  EXPECT_EQ(get("/khong-co").header("x-after"), "1");
  EXPECT_EQ(after_calls, 3);
}

TEST_F(Pipeline, MiddlewareHttpErrorBecomesTheErrorResponse) {
  server->use([](Request&, const Route&) -> std::optional<Response> { fail(ErrorCode::CsrfFailed); });
  auto res = get("/xin-chao");
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("Biểu mẫu đã hết hạn"), std::string::npos);
}

TEST_F(Pipeline, RequestRouteIsThePatternForLogsAndMetrics) {
  Request r;
  r.method = "GET";
  ASSERT_TRUE(parse_target("/van-ban/42", r).ok());
  (void)server->handle(r);
  EXPECT_EQ(r.route, "/van-ban/{id:int}");
  EXPECT_EQ(r.param("id"), "42");
  Request u;
  u.method = "GET";
  ASSERT_TRUE(parse_target("/khong/co", u).ok());
  (void)server->handle(u);
  EXPECT_EQ(u.route, "(unmatched)");
  auto m = server->metrics().render();
  EXPECT_NE(m.find("pbgdpl_http_requests_total{route=\"/van-ban/{id:int}\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("pbgdpl_http_requests_total{route=\"(unmatched)\",method=\"GET\",status=\"404\"} 1"),
            std::string::npos);
}

TEST_F(Pipeline, GzipsLargeTextWhenAccepted) {
  auto plain = get("/lon");
  ASSERT_EQ(plain.header("content-encoding"), "");
  ASSERT_GE(plain.body.size(), 4000u);
  auto res = get("/lon", {{"accept-encoding", "br, gzip;q=0.8"}});
  EXPECT_EQ(res.header("content-encoding"), "gzip");
  EXPECT_EQ(res.header("vary"), "Accept-Encoding");
  EXPECT_LT(res.body.size(), plain.body.size());
  EXPECT_EQ(inflate_gzip(res.body), plain.body);
}

TEST_F(Pipeline, NoGzipWithoutAcceptEncodingButVaryIsStillSet) {
  auto res = get("/lon", {{"accept-encoding", "identity"}});
  EXPECT_EQ(res.header("content-encoding"), "");
  EXPECT_EQ(res.header("vary"), "Accept-Encoding") << "caches must not serve gzip to this client";
}

TEST_F(Pipeline, SmallBodiesAreNotGzipped) {
  auto res = get("/nho", {{"accept-encoding", "gzip"}});
  ASSERT_LT(res.body.size(), 1024u);
  EXPECT_EQ(res.header("content-encoding"), "");
  EXPECT_EQ(res.header("vary"), "Accept-Encoding");
}

TEST_F(Pipeline, BinaryTypesAreNeverGzipped) {
  auto res = get("/anh", {{"accept-encoding", "gzip"}});
  EXPECT_EQ(res.header("content-encoding"), "");
  EXPECT_EQ(res.header("vary"), "");
  EXPECT_EQ(res.body.size(), 5000u);
}

TEST_F(Pipeline, InjectionStringsNeverCause500) {
  const char* nasty[] = {
      "/van-ban/%27%20OR%20%271%27%3D%271",
      "/van-ban/1%3B%20DROP%20TABLE%20users%3B--",
      "/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
      "/xin-chao?q=%27%3B%20DROP%20TABLE%20orgs%3B--&x=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
      "/xin-chao?q=%00",
      "/api/v1/loi?%00=%00",
      "/van-ban/99999999999999999999999",
      "/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
  };
  for (const char* t : nasty) {
    auto res = get(t, {{"accept", "text/html"}});
    EXPECT_LT(res.status, 500) << t;
    EXPECT_EQ(res.body.find("<script>"), std::string::npos) << t;
  }
}

}  // namespace
}  // namespace pbgdpl::http

namespace pbgdpl::http {
namespace {

// ---- Server::handle_bytes: the connection's steps on raw bytes -------------------------

class RawRequests : public ::testing::Test {
 protected:
  RawRequests() {
    router.post("/nho", [](Request& r) { return Response::text("nhận " + std::to_string(r.body.size())); });
    router.post("/nhap", [](Request& r) { return Response::text("nhận " + std::to_string(r.body.size())); },
                {4000, false, false});
    router.get("/api/v1/x", [](Request&) { return Response::json({{"ok", true}}); });
    ServerOptions o;
    o.access_log = false;
    o.max_body = 1000;
    o.max_header = 2048;
    server = std::make_unique<Server>(o, router);
  }
  static std::string post(const std::string& path, size_t n) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n" +
           std::string(n, 'a');
  }
  Router router;
  std::unique_ptr<Server> server;
};

TEST_F(RawRequests, BodyWithinDefaultLimit) {
  auto r = server->handle_bytes(post("/nho", 1000));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "nhận 1000");
  EXPECT_EQ(server->handle_bytes(post("/nho", 1001)).status, 413);
}

TEST_F(RawRequests, RouteLimitAboveTheDefaultIsHonoured) {
  // Regression: Beast checked Content-Length against the server default while reading the
  // header, so a route allowing more (the 2 MiB CSV import) always got 413.
  auto r = server->handle_bytes(post("/nhap", 3000));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "nhận 3000");
  EXPECT_EQ(server->handle_bytes(post("/nhap", 4001)).status, 413);
}

TEST_F(RawRequests, ChunkedBodiesAreLimitedToo) {
  std::string chunked = "POST /nho HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  auto ok = server->handle_bytes(chunked + "5\r\nabcde\r\n0\r\n\r\n");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "nhận 5");
  std::string big = chunked;
  for (int i = 0; i < 3; ++i) big += "190\r\n" + std::string(400, 'b') + "\r\n";
  EXPECT_EQ(server->handle_bytes(big + "0\r\n\r\n").status, 413);
}

TEST_F(RawRequests, ProtocolErrorsMapToStatuses) {
  EXPECT_EQ(server->handle_bytes("NONSENSE\r\n\r\n").status, 400);
  EXPECT_EQ(server->handle_bytes("GET / HTTP/1.1\r\nX: " + std::string(3000, 'h') + "\r\n\r\n").status, 431);
  EXPECT_EQ(server->handle_bytes("GET /%FF HTTP/1.1\r\n\r\n").status, 400);
  EXPECT_EQ(server->handle_bytes("GET /" + std::string(1500, 'a') + " HTTP/1.1\r\n\r\n").status, 404);
  auto partial = server->handle_bytes(post("/nho", 10).substr(0, 60));
  EXPECT_EQ(partial.status, 400) << "an incomplete request";
  EXPECT_EQ(server->handle_bytes("").status, 400);
  auto bad_chunk = server->handle_bytes("POST /nho HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  EXPECT_EQ(bad_chunk.status, 400);
  EXPECT_NE(bad_chunk.body.find("Phần thân yêu cầu HTTP không đúng cú pháp."), std::string::npos);
}

TEST_F(RawRequests, ApiTargetErrorsAreJson) {
  auto r = server->handle_bytes("GET /api/v1/%C3%28 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "invalid_utf8");
  auto big = server->handle_bytes("POST /api/v1/x HTTP/1.1\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(nlohmann::json::parse(big.body)["error"]["code"], "payload_too_large");
}

TEST_F(RawRequests, ProtocolErrorsCarryTheSecurityHeaders) {
  auto r = server->handle_bytes("BROKEN\r\n\r\n");
  EXPECT_FALSE(r.header("x-request-id").empty());
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
}

// ---- anonymous page cache ------------------------------------------------------------------

class PageCacheTest : public ::testing::Test {
 protected:
  PageCacheTest() {
    router.get("/trang", [this](Request& r) {
      ++renders;
      return Response::html("<p>Lần dựng " + std::to_string(renders) + " " + r.query.get("p") + "</p>" +
                            vietnamese_text(2000));
    }, {0, false, false, 1});
    router.get("/khong-luu", [this](Request&) {
      ++renders;
      return Response::html("<p>riêng</p>");
    });
    router.get("/co-cookie", [this](Request&) {
      ++renders;
      auto r = Response::html("<p>cookie</p>");
      r.add_cookie("a=1");
      return r;
    }, {0, false, false, 60});
    router.get("/loi", [this](Request&) -> Response {
      ++renders;
      fail(ErrorCode::NotFound);
    }, {0, false, false, 60});
    router.post("/sua", [](Request&) { return Response::redirect("/trang"); });
    router.post("/sua-hong", [](Request&) -> Response { fail(ErrorCode::Validation); });
    router.post("/danh-gia", [](Request&) { return Response::redirect("/trang"); }, {0, false, false, 0, true});
    ServerOptions o;
    o.access_log = false;
    server = std::make_unique<Server>(o, router);
    // As the app does: a "sid" cookie means a signed-in visitor, who is never served a copy.
    server->cache_key([](const Request& r) -> std::optional<std::string> {
      if (r.cookie("sid")) return std::nullopt;
      return r.target;
    });
  }
  Response call(std::string target, Headers headers = {}, std::string method = "GET") {
    Request r;
    r.method = std::move(method);
    r.request_id = "rid-" + std::to_string(++n);
    r.headers = std::move(headers);
    EXPECT_TRUE(parse_target(target, r).ok()) << target;
    return server->handle(r);
  }
  Router router;
  std::unique_ptr<Server> server;
  int renders = 0, n = 0;
};

TEST_F(PageCacheTest, AnonymousVisitorsShareOneRenderingUntilItExpires) {
  auto a = call("/trang?p=1");
  auto b = call("/trang?p=1");
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(a.body, b.body);
  EXPECT_NE(a.header("x-request-id"), b.header("x-request-id")) << "each answer still has its own id";
  EXPECT_EQ(b.header("content-security-policy"), a.header("content-security-policy"));
  EXPECT_EQ(call("/trang?p=2").body.find("Lần dựng 2 2"), 3u) << "the query is part of the key";
  // A signed-in visitor gets a fresh page, and does not replace the shared copy.
  EXPECT_NE(call("/trang?p=1", {{"cookie", "sid=abc"}}).body.find("Lần dựng 3 1"), std::string::npos);
  EXPECT_NE(call("/trang?p=1").body.find("Lần dựng 1 1"), std::string::npos);
  // gzip from the cache is the same page.
  auto z = call("/trang?p=1", {{"accept-encoding", "gzip, br"}});
  EXPECT_EQ(z.header("content-encoding"), "gzip");
  EXPECT_EQ(inflate_gzip(z.body), a.body);
  EXPECT_EQ(renders, 3);
  // After the route's 1 s the page is rendered again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_NE(call("/trang?p=1").body.find("Lần dựng 4 1"), std::string::npos);
}

TEST_F(PageCacheTest, ASuccessfulWriteShowsAtOnceAFailedOneDoesNot) {
  call("/trang");
  call("/trang");
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(call("/sua-hong", {}, "POST").status, 422);
  call("/trang");
  EXPECT_EQ(renders, 1) << "a refused write changed nothing";
  EXPECT_EQ(call("/danh-gia", {}, "POST").status, 303);
  call("/trang");
  EXPECT_EQ(renders, 1) << "a write whose route keeps pages (a rating) leaves the cache alone";
  EXPECT_EQ(call("/sua", {}, "POST").status, 303);
  EXPECT_NE(call("/trang").body.find("Lần dựng 2"), std::string::npos);
}

TEST_F(PageCacheTest, OnlyPlainSharedAnswersAreKept) {
  for (int i = 0; i < 2; ++i) call("/khong-luu");
  EXPECT_EQ(renders, 2) << "a route without anon_cache_s";
  for (int i = 0; i < 2; ++i) EXPECT_EQ(call("/co-cookie").header("set-cookie"), "a=1");
  EXPECT_EQ(renders, 4) << "an answer that sets a cookie";
  for (int i = 0; i < 2; ++i) EXPECT_EQ(call("/loi").status, 404);
  EXPECT_EQ(renders, 6) << "an error page";
  auto head = call("/trang", {}, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(renders, 7);
  call("/trang");
  EXPECT_EQ(renders, 7) << "HEAD and GET share the page";
}

}  // namespace
}  // namespace pbgdpl::http
