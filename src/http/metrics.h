#pragma once
// Prometheus text exposition: request counters and latency histograms by route and status,
// plus gauges that other layers report through callbacks (database pool, jobs, build info).
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
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
  struct Key {
    std::string route, method;
    int status;
  };
  struct KeyView {
    std::string_view route, method;
    int status;
  };
  // Transparent: a request looks its series up by views, strings are made for a new one only.
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      std::string_view ar = a.route, br = b.route, am = a.method, bm = b.method;
      if (ar != br) return ar < br;
      if (am != bm) return am < bm;
      return a.status < b.status;
    }
  };
  mutable std::mutex mu_;
  std::map<Key, uint64_t, KeyLess> counts_;
  std::map<std::string, Hist, std::less<>> hists_;
  std::vector<std::function<void(std::string&)>> collectors_;
};

}  // namespace pbgdpl::http
