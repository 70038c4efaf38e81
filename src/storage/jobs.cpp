#include "storage/jobs.h"

#include <chrono>

#include "core/log.h"
#include "core/time.h"

namespace pbgdpl::storage {
namespace {
constexpr int64_t kLeaseMs = 5 * 60 * 1000;
}

Result<int64_t> enqueue(Conn& c, std::string_view kind, std::string_view payload, int64_t run_at,
                        int max_attempts) {
  int64_t now = core::now_ms();
  auto row = c.one(
      "INSERT INTO jobs (kind, payload, status, run_at, max_attempts, created_at) "
      "VALUES (?, ?, 'queued', ?, ?, ?) RETURNING id",
      {std::string(kind), std::string(payload), run_at ? run_at : now, static_cast<int64_t>(max_attempts), now});
  if (!row) return row.take_error();
  return (*row)->i64(0);
}

JobQueue::JobQueue(Database& db, std::string worker_name) : db_(db), name_(std::move(worker_name)) {}

JobQueue::~JobQueue() { stop(); }

void JobQueue::handle(const std::string& kind, Handler h) { handlers_[kind] = std::move(h); }

Result<bool> JobQueue::run_one() {
  const bool pg = db_.backend() == Backend::Postgres;
  const std::string sql = std::string(
                              "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ?, "
                              "locked_until = ? WHERE id = (SELECT id FROM jobs WHERE "
                              "(status = 'queued' AND run_at <= ?) OR (status = 'running' AND locked_until < ?) "
                              "ORDER BY run_at, id LIMIT 1") +
                          (pg ? " FOR UPDATE SKIP LOCKED" : "") +
                          ") RETURNING id, kind, payload, attempts, max_attempts";
  int64_t now = core::now_ms();
  auto claimed = db_.write([&](Conn& c) -> Result<std::optional<Job>> {
    auto row = c.one(sql, {name_, now + kLeaseMs, now, now});
    if (!row) return row.take_error();
    if (!row->has_value()) return std::optional<Job>{};
    const Row& r = **row;
    return std::optional<Job>(Job{r.i64(0), r.str(1), r.str(2), static_cast<int>(r.i64(3)), static_cast<int>(r.i64(4))});
  });
  if (!claimed) return claimed.take_error();
  if (!claimed->has_value()) return false;
  Job job = std::move(**claimed);

  Status result;
  auto it = handlers_.find(job.kind);
  if (it == handlers_.end()) {
    result = Error::of(ErrorCode::NotFound, "no handler for job kind " + job.kind);
  } else {
    try {
      result = it->second(job);
    } catch (const std::exception& e) {
      result = Error::of(ErrorCode::Internal, e.what());
    } catch (...) {
      // Anything else thrown would end the worker thread and the process with it.
      result = Error::of(ErrorCode::Internal, "job handler threw a non-standard exception");
    }
  }
  ++processed_;
  int64_t done_at = core::now_ms();
  auto st = db_.write([&](Conn& c) -> Status {
    if (result.ok()) {
      PBGDPL_TRY(c.exec("UPDATE jobs SET status = 'done', finished_at = ?, locked_by = NULL, last_error = NULL "
                        "WHERE id = ?",
                        {done_at, job.id}));
      return {};
    }
    core::log_warn("job failed id={} kind={} attempt={} error=\"{}\"", job.id, job.kind, job.attempts,
                   result.error().message);
    if (job.attempts >= job.max_attempts) {
      PBGDPL_TRY(c.exec("UPDATE jobs SET status = 'failed', finished_at = ?, last_error = ? WHERE id = ?",
                        {done_at, result.error().message, job.id}));
    } else {
      int64_t backoff = 1000LL << std::min(job.attempts, 10);
      PBGDPL_TRY(c.exec("UPDATE jobs SET status = 'queued', run_at = ?, last_error = ?, locked_by = NULL "
                        "WHERE id = ?",
                        {done_at + backoff, result.error().message, job.id}));
    }
    return {};
  });
  if (!st) return st.take_error();
  return true;
}

int JobQueue::drain() {
  int n = 0;
  for (;;) {
    auto r = run_one();
    if (!r || !*r) return n;
    ++n;
  }
}

void JobQueue::start(int n) {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { loop(); });
}

void JobQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void JobQueue::wake() {
  {
    // A flag, not only a notification: a worker busy in run_one() when wake() is called
    // must not then sleep through the job it was told about.
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  cv_.notify_one();
}

void JobQueue::loop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      wakes_ = 0;  // this pass looks at every ready job, woken for or not
    }
    auto r = run_one();
    if (r && *r) continue;
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_ || wakes_ > 0; });
  }
}

Result<JobCounts> JobQueue::counts() {
  return db_.read([](Conn& c) -> Result<JobCounts> {
    auto rows = c.query("SELECT status, COUNT(*) FROM jobs GROUP BY status");
    if (!rows) return rows.take_error();
    JobCounts jc;
    for (const auto& r : *rows) {
      auto s = r.str(0);
      if (s == "queued") jc.queued = r.i64(1);
      else if (s == "running") jc.running = r.i64(1);
      else if (s == "done") jc.done = r.i64(1);
      else if (s == "failed") jc.failed = r.i64(1);
    }
    return jc;
  });
}

}  // namespace pbgdpl::storage
