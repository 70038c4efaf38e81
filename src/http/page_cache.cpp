#include "http/page_cache.h"

#include "http/server.h"

namespace pbgdpl::http {

PageCache::PageCache(size_t max_entries, size_t max_bytes) : max_entries_(max_entries), max_bytes_(max_bytes) {}

std::optional<Response> PageCache::get(const std::string& key, bool want_gzip, int64_t now_ns) {
  std::lock_guard lock(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) {
    ++misses_;
    return std::nullopt;
  }
  Entry& e = *it->second;
  if (e.expires_ns <= now_ns) {
    bytes_ -= e.res.body.size() + e.gz.size();
    order_.erase(it->second);
    map_.erase(it);
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  if (!want_gzip || e.res.body.size() < 1024) return e.res;
  if (!e.gz_done) {  // once per entry, under the lock: a few tens of microseconds
    e.gz_done = true;
    std::string z = gzip(e.res.body);
    if (!z.empty() && z.size() < e.res.body.size()) {
      e.gz = std::move(z);
      bytes_ += e.gz.size();
    }
  }
  if (e.gz.empty()) return e.res;
  Response r;
  r.status = e.res.status;
  r.content_type = e.res.content_type;
  r.headers = e.res.headers;
  r.body = e.gz;
  r.set_header("content-encoding", "gzip");
  return r;
}

void PageCache::put(const std::string& key, const Response& res, int ttl_s, int64_t now_ns) {
  if (ttl_s <= 0 || res.body.size() > max_bytes_ / 8) return;
  std::lock_guard lock(mu_);
  if (auto it = map_.find(key); it != map_.end()) {
    bytes_ -= it->second->res.body.size() + it->second->gz.size();
    order_.erase(it->second);
    map_.erase(it);
  }
  order_.push_back(Entry{key, res, {}, false, now_ns + int64_t{ttl_s} * 1'000'000'000});
  map_.emplace(key, std::prev(order_.end()));
  bytes_ += res.body.size();
  evict_locked();
}

void PageCache::evict_locked() {
  while (!order_.empty() && (order_.size() > max_entries_ || bytes_ > max_bytes_)) {
    auto& e = order_.front();
    bytes_ -= e.res.body.size() + e.gz.size();
    map_.erase(e.key);
    order_.pop_front();
  }
}

void PageCache::clear() {
  std::lock_guard lock(mu_);
  order_.clear();
  map_.clear();
  bytes_ = 0;
}

size_t PageCache::size() const {
  std::lock_guard lock(mu_);
  return map_.size();
}

}  // namespace pbgdpl::http
