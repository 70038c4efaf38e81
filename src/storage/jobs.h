#pragma once
// The durable job queue (transactional outbox). A write that needs follow-up work (reindex,
// speech, channel delivery, sync) calls enqueue() on the same connection inside its own
// transaction, so the job exists if and only if the write committed. Workers claim jobs
// with `FOR UPDATE SKIP LOCKED` on PostgreSQL (many `pbgdpl worker` nodes) and through the
// single writer on SQLite. A claimed job carries a lease; a worker that dies loses it and
// the job runs again, so handlers must be idempotent.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/db.h"

namespace pbgdpl::storage {

struct Job {
  int64_t id = 0;
  std::string kind;
  std::string payload;
  int attempts = 0;
  int max_attempts = 5;
};

/// Adds a job inside the caller's transaction. run_at 0 = now.
Result<int64_t> enqueue(Conn& c, std::string_view kind, std::string_view payload, int64_t run_at = 0,
                        int max_attempts = 5);

struct JobCounts {
  int64_t queued = 0, running = 0, done = 0, failed = 0;
};

class JobQueue {
 public:
  using Handler = std::function<Status(const Job&)>;
  explicit JobQueue(Database& db, std::string worker_name = "local");
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  /// Registers the handler of a kind. Call before start(): workers read the table unlocked.
  void handle(const std::string& kind, Handler h);
  /// Claims and runs at most one ready job. Returns true when one ran (ok or not).
  Result<bool> run_one();
  /// Runs ready jobs until none is left; returns how many ran.
  int drain();
  /// Starts n worker threads polling the queue.
  void start(int n);
  /// Stops the threads after their current job.
  void stop();
  /// Hint that a job was enqueued (wakes a sleeping worker early).
  void wake();
  Result<JobCounts> counts();
  uint64_t processed() const { return processed_; }

 private:
  void loop();
  Database& db_;
  std::string name_;
  std::map<std::string, Handler> handlers_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t wakes_ = 0;  ///< wake() calls not yet seen by a worker; guarded by mu_
  std::atomic<uint64_t> processed_{0};
};

}  // namespace pbgdpl::storage
