#include "http/router.h"

#include <gtest/gtest.h>

namespace pbgdpl::http {
namespace {

Handler named(std::string name) {
  return [name](Request&) { return Response::text(name); };
}

TEST(Router, LiteralPathMatchesOnlyItself) {
  Router r;
  r.get("/don-vi", named("units"));
  auto m = r.match("GET", "/don-vi");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/don-vi");
  EXPECT_EQ(r.match("GET", "/don-vi/").route, nullptr);
  EXPECT_EQ(r.match("GET", "/don").route, nullptr);
  EXPECT_EQ(r.match("GET", "/don-vi/x").route, nullptr);
  EXPECT_TRUE(r.match("GET", "/khac").allowed.empty());
}

TEST(Router, ParamCapturesOneNonEmptySegment) {
  Router r;
  r.get("/van-ban/{slug}", named("doc"));
  auto m = r.match("GET", "/van-ban/luat-dat-dai-2024");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("slug"), "luat-dat-dai-2024");
  // Vietnamese (decoded UTF-8) segments are captured as they are.
  m = r.match("GET", "/van-ban/bộ-luật-dân-sự");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("slug"), "bộ-luật-dân-sự");
  EXPECT_EQ(r.match("GET", "/van-ban/").route, nullptr);
  EXPECT_EQ(r.match("GET", "/van-ban/a/b").route, nullptr);
}

TEST(Router, IntParamAcceptsDigitsOnly) {
  Router r;
  r.get("/api/v1/orgs/{id:int}", named("org"));
  auto m = r.match("GET", "/api/v1/orgs/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "42");
  for (const char* bad : {"/api/v1/orgs/abc", "/api/v1/orgs/4a", "/api/v1/orgs/-1", "/api/v1/orgs/1.5",
                          "/api/v1/orgs/", "/api/v1/orgs/ 1", "/api/v1/orgs/1234567890123456789"}) {
    auto b = r.match("GET", bad);
    EXPECT_EQ(b.route, nullptr) << bad;
    EXPECT_TRUE(b.allowed.empty()) << bad << ": a non-number must be 404, not 405";
  }
  // 18 digits always fit int64.
  EXPECT_NE(r.match("GET", "/api/v1/orgs/999999999999999999").route, nullptr);
}

TEST(Router, RestParamTakesTheRemainingPath) {
  Router r;
  r.get("/static/{file*}", named("static"));
  auto m = r.match("GET", "/static/img/logo/a.svg");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("file"), "img/logo/a.svg");
  EXPECT_EQ(r.match("GET", "/static/").route, nullptr);
  EXPECT_EQ(r.match("GET", "/static").route, nullptr);
}

TEST(Router, FirstRegisteredRouteWins) {
  Router r;
  r.get("/quan-tri/don-vi/moi", named("new"));
  r.get("/quan-tri/don-vi/{code}", named("edit"));
  EXPECT_EQ(r.match("GET", "/quan-tri/don-vi/moi").route->pattern, "/quan-tri/don-vi/moi");
  EXPECT_EQ(r.match("GET", "/quan-tri/don-vi/SO-TP").route->pattern, "/quan-tri/don-vi/{code}");
}

TEST(Router, OtherMethodListsAllowedMethods) {
  Router r;
  r.get("/dang-nhap", named("form"));
  r.post("/dang-nhap", named("submit"));
  r.post("/dang-xuat", named("logout"));
  auto m = r.match("DELETE", "/dang-nhap");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
  m = r.match("GET", "/dang-xuat");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"POST"}));
}

TEST(Router, HeadUsesTheGetRoute) {
  Router r;
  r.get("/healthz", named("health"));
  r.post("/chi-post", named("post"));
  auto m = r.match("HEAD", "/healthz");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  auto p = r.match("HEAD", "/chi-post");
  EXPECT_EQ(p.route, nullptr);
  EXPECT_EQ(p.allowed, (std::vector<std::string>{"POST"}));
}

TEST(Router, MethodsAreCaseSensitive) {
  Router r;
  r.get("/", named("home"));
  auto m = r.match("get", "/");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET"}));
}

TEST(Router, RouteOptionsTravelWithTheMatch) {
  Router r;
  r.post("/nhap", named("import"), {2 << 20, false, false});
  r.get("/metrics", named("metrics"), {0, false, true});
  EXPECT_EQ(r.match("POST", "/nhap").route->options.max_body, size_t{2} << 20);
  EXPECT_TRUE(r.match("GET", "/metrics").route->options.bare);
}

}  // namespace
}  // namespace pbgdpl::http
