// SQLite backend: WAL, foreign keys on, busy timeout, one writer connection, a reader pool.
#include <sqlite3.h>

#include <filesystem>
#include <unordered_map>

#include "core/log.h"
#include "storage/backends.h"
#include "storage/pool.h"

namespace pbgdpl::storage {
namespace {

Error sqlite_error(sqlite3* db, int rc, std::string_view sql) {
  int base = rc & 0xFF;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (base == SQLITE_CONSTRAINT)
    return Error::of(ErrorCode::Conflict, "Dữ liệu bị trùng hoặc vi phạm ràng buộc (" + detail + ").");
  if (base == SQLITE_BUSY || base == SQLITE_LOCKED) return Error::of(ErrorCode::Unavailable);
  core::log_error("sqlite error={} detail=\"{}\" sql=\"{}\"", rc, detail, sql.substr(0, 200));
  return Error::of(ErrorCode::Internal);
}

class SqliteConn final : public Conn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
  }
  Backend backend() const override { return Backend::Sqlite; }
  sqlite3* handle() { return db_; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* st = nullptr;
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      st = it->second;
    } else {
      if (cache_.size() >= kMaxCached) {
        // Bounded: dynamic SQL must not grow the cache forever (see postgres.cpp).
        for (auto& [_, old] : cache_) sqlite3_finalize(old);
        cache_.clear();
      }
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &st, &tail);
      if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
      if (!st) return Error::of(ErrorCode::Internal);  // empty statement
      // One statement per query(), as on PostgreSQL: SQLite would silently ignore the rest.
      if (!only_comments(tail, sql.data() + sql.size())) {
        sqlite3_finalize(st);
        core::log_error("sqlite: several statements in one query() (use exec_script) sql=\"{}\"", sql.substr(0, 200));
        return Error::of(ErrorCode::Internal);
      }
      cache_.emplace(std::string(sql), st);
    }
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{st};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(st)) {
      core::log_error("sqlite parameter count mismatch sql=\"{}\"", sql.substr(0, 200));
      return Error::of(ErrorCode::Internal);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      const auto& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<Null>(v)) rc = sqlite3_bind_null(st, idx);
      else if (auto p = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(st, idx, *p);
      else if (auto d = std::get_if<double>(&v)) rc = sqlite3_bind_double(st, idx, *d);
      else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(st, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
    }
    Rows out;
    int ncol = sqlite3_column_count(st);
    out.columns.reserve(ncol);
    for (int c = 0; c < ncol; ++c) out.columns.emplace_back(sqlite3_column_name(st, c));
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_error(db_, rc, sql);
      Row row;
      row.cells.reserve(ncol);
      for (int c = 0; c < ncol; ++c) {
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_INTEGER: row.cells.emplace_back(static_cast<int64_t>(sqlite3_column_int64(st, c))); break;
          case SQLITE_FLOAT: row.cells.emplace_back(sqlite3_column_double(st, c)); break;
          case SQLITE_NULL: row.cells.emplace_back(Null{}); break;
          default: {
            const void* p = sqlite3_column_blob(st, c);
            int n = sqlite3_column_bytes(st, c);
            row.cells.emplace_back(std::string(static_cast<const char*>(p), p ? n : 0));
          }
        }
      }
      out.rows.push_back(std::move(row));
    }
    out.affected = sqlite3_stmt_readonly(st) ? 0 : sqlite3_changes64(db_);
    return out;
  }

  Status exec_script(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "";
      sqlite3_free(err);
      core::log_error("sqlite script error: {}", msg);
      return Error::of(ErrorCode::Internal, "Lỗi khi chạy lệnh SQL: " + msg);
    }
    return {};
  }

  Status begin(bool write) override {
    auto r = query(write ? "BEGIN IMMEDIATE" : "BEGIN", {});
    if (!r) return r.take_error();
    return {};
  }
  Status commit() override {
    auto r = query("COMMIT", {});
    if (!r) {
      rollback();
      return r.take_error();
    }
    return {};
  }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)query("ROLLBACK", {});
  }
  bool in_transaction() const override { return !sqlite3_get_autocommit(db_); }

 private:
  /// True when [p, end) holds no statement (only whitespace, semicolons and comments).
  bool only_comments(const char* p, const char* end) {
    while (p && p < end) {
      sqlite3_stmt* extra = nullptr;
      const char* next = nullptr;
      int rc = sqlite3_prepare_v2(db_, p, static_cast<int>(end - p), &extra, &next);
      if (extra) sqlite3_finalize(extra);
      if (rc != SQLITE_OK || extra) return false;
      if (!next || next <= p) break;
      p = next;
    }
    return true;
  }

  sqlite3* db_;
  static constexpr size_t kMaxCached = 256;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<std::unique_ptr<Conn>> connect(const std::string& path, bool reader) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error::of(ErrorCode::Unavailable, "Không mở được cơ sở dữ liệu " + path + ": " + msg);
  }
  auto conn = std::make_unique<SqliteConn>(db);
  sqlite3_busy_timeout(db, 5000);
  // FULL: an acknowledged commit is on disk before we answer (survives power loss, not
  // only kill -9). WAL keeps readers off the writer's back.
  auto st = conn->exec_script(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;");
  if (!st) return st.take_error();
  // Reader connections cannot write, as PostgreSQL's READ ONLY transactions: a write that
  // slips into read() fails on both backends instead of bypassing the single writer here.
  if (reader) {
    auto ro = conn->exec_script("PRAGMA query_only=ON;");
    if (!ro) return ro.take_error();
  }
  return std::unique_ptr<Conn>(std::move(conn));
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, size_t pool)
      : path_(std::move(path)),
        writer_([p = path_] { return connect(p, false); }, 1),
        readers_([p = path_] { return connect(p, true); }, pool) {}

  Backend backend() const override { return Backend::Sqlite; }

  Result<Lease> acquire(bool write) override {
    auto c = write ? writer_.take(std::chrono::seconds(30)) : readers_.take();
    if (!c) return c.take_error();
    return Lease(this, std::move(c.value()), write);
  }

  PoolStats stats() const override {
    auto r = readers_.stats();
    auto w = writer_.stats();
    r.size += w.size;
    r.in_use += w.in_use;
    r.waits += w.waits;
    r.acquired += w.acquired;
    return r;
  }

  std::string describe() const override { return "sqlite:" + path_; }

  Status backup_to(const std::string& dest) override {
    std::error_code ec;
    if (std::filesystem::is_directory(dest, ec))
      return Error::of(ErrorCode::Validation, "Đích sao lưu là một thư mục, hãy chỉ rõ tên tệp: " + dest);
    auto lease = acquire(false);
    if (!lease) return lease.take_error();
    auto* src = static_cast<SqliteConn*>(&*lease.value())->handle();
    sqlite3* out = nullptr;
    std::string tmp = dest + ".part";
    std::filesystem::remove(tmp, ec);
    if (sqlite3_open(tmp.c_str(), &out) != SQLITE_OK) {
      sqlite3_close(out);
      return Error::of(ErrorCode::Validation, "Không tạo được tệp sao lưu: " + dest);
    }
    sqlite3_backup* b = sqlite3_backup_init(out, "main", src, "main");
    if (!b) {
      std::string msg = sqlite3_errmsg(out);
      sqlite3_close(out);
      return Error::of(ErrorCode::Internal, "Sao lưu thất bại: " + msg);
    }
    int rc;
    do {
      rc = sqlite3_backup_step(b, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    int final_rc = sqlite3_errcode(out);
    sqlite3_close(out);
    if (rc != SQLITE_DONE || final_rc != SQLITE_OK) {
      std::filesystem::remove(tmp, ec);
      return Error::of(ErrorCode::Internal, "Sao lưu thất bại.");
    }
    std::filesystem::rename(tmp, dest, ec);
    if (ec) {
      std::filesystem::remove(tmp, ec);
      return Error::of(ErrorCode::Validation, "Không ghi được tệp sao lưu: " + dest);
    }
    return {};
  }

 protected:
  void release(std::unique_ptr<Conn> c, bool write) override {
    bool broken = false;
    if (c->in_transaction()) {
      c->rollback();
      broken = c->in_transaction();
    }
    (write ? writer_ : readers_).give(std::move(c), broken);
  }

 private:
  std::string path_;
  ConnPool writer_;
  ConnPool readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, size_t pool) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto db = std::make_unique<SqliteDatabase>(path, pool);
  // Open the writer once now so errors (bad path, permissions) surface at startup.
  {
    auto l = db->acquire(true);
    if (!l) return l.take_error();
  }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace pbgdpl::storage
