#include "http/metrics.h"

#include <fmt/format.h>

namespace pbgdpl::http {

namespace {
std::string label_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\\' || c == '"') o += '\\';
    if (c == '\n') { o += "\\n"; continue; }
    o += c;
  }
  return o;
}
// The method token is the client's choice: fold unknown ones into one label so random
// methods cannot grow the series (and this process's memory) without bound.
const std::string& method_label(const std::string& m) {
  static const std::string known[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "-"};
  static const std::string other = "OTHER";
  for (const auto& k : known)
    if (m == k) return k;
  return other;
}
}  // namespace

void Metrics::observe(const std::string& route, const std::string& method, int status, double seconds) {
  const std::string& m = method_label(method);
  std::lock_guard lock(mu_);
  // Look up by views; strings are copied only for a new series.
  auto c = counts_.find(KeyView{route, m, status});
  if (c == counts_.end()) c = counts_.emplace(Key{route, m, status}, 0).first;
  ++c->second;
  auto hi = hists_.find(std::string_view(route));
  if (hi == hists_.end()) hi = hists_.emplace(route, Hist{}).first;
  auto& h = hi->second;
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_collector(std::function<void(std::string&)> f) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(f));
}

std::string Metrics::render() const {
  std::string out;
  std::vector<std::function<void(std::string&)>> collectors;
  {
    std::lock_guard lock(mu_);
    out += "# HELP pbgdpl_http_requests_total HTTP requests by route, method and status.\n"
           "# TYPE pbgdpl_http_requests_total counter\n";
    for (const auto& [k, v] : counts_)
      out += fmt::format("pbgdpl_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         label_escape(k.route), k.method, k.status, v);
    out += "# HELP pbgdpl_http_request_duration_seconds Request latency by route.\n"
           "# TYPE pbgdpl_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : hists_) {
      auto r = label_escape(route);
      for (size_t i = 0; i < kBuckets.size(); ++i)
        out += fmt::format("pbgdpl_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r,
                           kBuckets[i], h.buckets[i]);
      out += fmt::format("pbgdpl_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r, h.count);
      out += fmt::format("pbgdpl_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
      out += fmt::format("pbgdpl_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r, h.count);
    }
    collectors = collectors_;
  }
  for (const auto& c : collectors) c(out);
  return out;
}

}  // namespace pbgdpl::http
