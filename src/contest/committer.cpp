#include "contest/committer.h"

#include <vector>

#include "core/log.h"

namespace pbgdpl::contest {

GroupCommitter::GroupCommitter(storage::Database& db, size_t max_batch, BatchHook hook)
    : db_(db), max_batch_(max_batch), hook_(std::move(hook)) {
  thread_ = std::thread([this] { loop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

core::Status GroupCommitter::run(Work w) {
  std::promise<core::Status> p;
  auto f = p.get_future();
  {
    std::lock_guard l(mu_);
    if (stop_) return core::Error::of(core::ErrorCode::Unavailable);
    queue_.push_back({std::move(w), &p});
  }
  cv_.notify_one();
  return f.get();
}

void GroupCommitter::post(Work w) {
  {
    std::lock_guard l(mu_);
    if (stop_) return;
    queue_.push_back({std::move(w), nullptr});
  }
  cv_.notify_one();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard l(mu_);
  return stats_;
}

void GroupCommitter::loop() {
  std::vector<Item> batch;
  std::vector<core::Status> results;
  for (;;) {
    {
      std::unique_lock l(mu_);
      cv_.wait(l, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) return;
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    results.assign(batch.size(), core::Status{});
    auto st = db_.write([&](storage::Conn& c) -> core::Status {
      nlohmann::json notes = nlohmann::json::array();
      for (size_t i = 0; i < batch.size(); ++i) {
        if (auto s = c.exec_script("SAVEPOINT gc"); !s) return s;
        core::Status r;
        size_t mark = notes.size();
        try {
          r = batch[i].work(c, notes);
        } catch (const std::exception& e) {
          core::log_error("contest committer: item threw: {}", e.what());
          r = core::Error::of(core::ErrorCode::Internal);
        }
        if (!r) {
          if (auto s = c.exec_script("ROLLBACK TO SAVEPOINT gc"); !s) return s;
          while (notes.size() > mark) notes.erase(notes.size() - 1);
        }
        if (auto s = c.exec_script("RELEASE SAVEPOINT gc"); !s) return s;
        results[i] = std::move(r);
      }
      if (hook_ && !notes.empty()) return hook_(c, notes);
      return {};
    });
    for (size_t i = 0; i < batch.size(); ++i)
      if (batch[i].done) batch[i].done->set_value(st ? std::move(results[i]) : st);
    {
      std::lock_guard l(mu_);
      ++stats_.batches;
      stats_.items += batch.size();
      stats_.max_batch = std::max<uint64_t>(stats_.max_batch, batch.size());
    }
    batch.clear();
  }
}

}  // namespace pbgdpl::contest
