#pragma once
// Internal: a bounded pool of connections made on demand.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/db.h"

namespace pbgdpl::storage {

class ConnPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;
  ConnPool(Factory f, size_t max) : factory_(std::move(f)), max_(max) {}

  Result<std::unique_ptr<Conn>> take(std::chrono::milliseconds wait = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    ++acquired_;
    if (idle_.empty() && open_ >= max_) {
      ++waits_;
      if (!cv_.wait_for(lock, wait, [&] { return !idle_.empty() || open_ < max_; }))
        return Error::of(ErrorCode::Unavailable);
    }
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
      return c;
    }
    ++open_;
    ++in_use_;
    lock.unlock();
    auto c = factory_();
    if (!c) {
      std::lock_guard l2(mu_);
      --open_;
      --in_use_;
      cv_.notify_one();
    }
    return c;
  }

  void give(std::unique_ptr<Conn> c, bool broken) {
    std::lock_guard lock(mu_);
    --in_use_;
    if (broken) {
      --open_;
    } else {
      idle_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  PoolStats stats() const {
    std::lock_guard lock(mu_);
    return {open_, in_use_, waits_, acquired_};
  }

 private:
  Factory factory_;
  size_t max_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  size_t open_ = 0, in_use_ = 0;
  uint64_t waits_ = 0, acquired_ = 0;
};

}  // namespace pbgdpl::storage
