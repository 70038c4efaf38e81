#pragma once
// Prometheus text exposition: request counters and latency histograms by route and status,
// plus gauges that other layers report through callbacks (database pool, jobs, build info).
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace pbgdpl::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                       0.1,   0.25,   0.5,   1,    2.5,   5};
  void observe(const std::string& route, const std::string& method, int status, double seconds);
  /// A gauge or counter computed at scrape time: lines "name{labels} value".
  void add_collector(std::function<void(std::string& out)> f);
  std::string render() const;

 private:
  struct Hist {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t, std::less<>> counts_;
  std::map<std::string, Hist, std::less<>> hists_;
  std::vector<std::function<void(std::string&)>> collectors_;
};

}  // namespace pbgdpl::http
