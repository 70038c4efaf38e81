#pragma once
// A micro-cache of rendered public pages for anonymous visitors (as nginx's proxy_cache
// with a short validity): public pages are read thousands of times per write, and
// rendering one costs 10–20× what sending it costs.
//
// Entries live for their route's `anon_cache_s` seconds at most, and every successful
// write handled by this server (a non-GET request answered < 400) empties the cache, so an
// editor sees the change at once; writes made elsewhere (another node, a CLI import, a job)
// show after the TTL. Bounded by entries and bytes; the oldest entry goes first.
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace pbgdpl::http {

class PageCache {
 public:
  explicit PageCache(size_t max_entries = 2048, size_t max_bytes = 64u << 20);

  /// A copy of the cached response for key, or nullopt. With gzip, the body comes
  /// compressed (and content-encoding set) when compressing paid off.
  std::optional<Response> get(const std::string& key, bool gzip, int64_t now_ns);
  void put(const std::string& key, const Response& res, int ttl_s, int64_t now_ns);
  void clear();
  size_t size() const;
  uint64_t hits() const { return hits_.load(); }
  uint64_t misses() const { return misses_.load(); }

 private:
  struct Entry {
    std::string key;
    Response res;
    std::string gz;       ///< gzip body, made on the first gzip hit ("" = not yet)
    bool gz_done = false;  ///< gz was attempted
    int64_t expires_ns = 0;
  };
  using List = std::list<Entry>;
  void evict_locked();
  mutable std::mutex mu_;
  List order_;  // oldest first
  std::unordered_map<std::string, List::iterator> map_;
  size_t bytes_ = 0;
  size_t max_entries_, max_bytes_;
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

}  // namespace pbgdpl::http
