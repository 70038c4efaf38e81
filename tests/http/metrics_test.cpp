#include "http/metrics.h"

#include <gtest/gtest.h>

namespace pbgdpl::http {
namespace {

bool has(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST(Metrics, CountsByRouteMethodAndStatus) {
  Metrics m;
  m.observe("/van-ban/{slug}", "GET", 200, 0.003);
  m.observe("/van-ban/{slug}", "GET", 200, 0.004);
  m.observe("/van-ban/{slug}", "GET", 404, 0.001);
  auto out = m.render();
  EXPECT_TRUE(has(out, "# TYPE pbgdpl_http_requests_total counter\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_requests_total{route=\"/van-ban/{slug}\",method=\"GET\",status=\"200\"} 2\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_requests_total{route=\"/van-ban/{slug}\",method=\"GET\",status=\"404\"} 1\n"));
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics m;
  m.observe("/", "GET", 200, 0.0005);
  m.observe("/", "GET", 200, 0.003);
  m.observe("/", "GET", 200, 0.2);
  m.observe("/", "GET", 200, 30);
  auto out = m.render();
  EXPECT_TRUE(has(out, "# TYPE pbgdpl_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_bucket{route=\"/\",le=\"0.001\"} 1\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_bucket{route=\"/\",le=\"0.0025\"} 1\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_bucket{route=\"/\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_bucket{route=\"/\",le=\"0.25\"} 3\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_bucket{route=\"/\",le=\"5\"} 3\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_bucket{route=\"/\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_count{route=\"/\"} 4\n"));
  EXPECT_TRUE(has(out, "pbgdpl_http_request_duration_seconds_sum{route=\"/\"} 30.20")) << out;
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics m;
  m.observe("/a\"b\\c\nd", "GET", 200, 0.1);
  EXPECT_TRUE(has(m.render(), "route=\"/a\\\"b\\\\c\\nd\""));
}

TEST(Metrics, UnknownMethodsShareOneLabel) {
  // Clients choose the method token; without folding, random methods would grow the
  // series without bound (memory and scrape size).
  Metrics m;
  for (int i = 0; i < 100; ++i) m.observe("(unmatched)", "X" + std::to_string(i), 405, 0.001);
  m.observe("(unmatched)", "GET", 404, 0.001);
  m.observe("(unmatched)", "PATCH", 405, 0.001);
  auto out = m.render();
  EXPECT_TRUE(has(out, "pbgdpl_http_requests_total{route=\"(unmatched)\",method=\"OTHER\",status=\"405\"} 100\n"))
      << out;
  EXPECT_TRUE(has(out, "method=\"GET\",status=\"404\"} 1\n"));
  EXPECT_TRUE(has(out, "method=\"PATCH\",status=\"405\"} 1\n"));
  EXPECT_FALSE(has(out, "method=\"X1\""));
}

TEST(Metrics, CollectorsAppendAtScrapeTime) {
  Metrics m;
  int value = 1;
  m.add_collector([&](std::string& out) { out += "pbgdpl_test_gauge " + std::to_string(value) + "\n"; });
  EXPECT_TRUE(has(m.render(), "pbgdpl_test_gauge 1\n"));
  value = 5;
  EXPECT_TRUE(has(m.render(), "pbgdpl_test_gauge 5\n"));
}

}  // namespace
}  // namespace pbgdpl::http
