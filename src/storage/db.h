#pragma once
// The storage interface: one API, two backends (SQLite 3.40 embedded, PostgreSQL 15).
//
// Workload assumptions: reads outnumber writes by well over 10:1 on a portal; writes are
// short transactions. SQLite therefore gets one writer connection (a single writer path,
// `BEGIN IMMEDIATE`) and a pool of reader connections in WAL mode; PostgreSQL gets one pool.
//
// SQL is written once with `?` placeholders; the PostgreSQL backend rewrites them to $n.
// Statements are prepared once per connection and cached. No engine type leaks out of here.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/result.h"

namespace pbgdpl::storage {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

enum class Backend { Sqlite, Postgres };
std::string_view backend_name(Backend b);

struct Null {};
inline bool operator==(Null, Null) { return true; }
using Value = std::variant<Null, int64_t, double, std::string>;

/// Helpers to build parameters from optional values.
inline Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : Value(Null{}); }
inline Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

struct Row {
  std::vector<Value> cells;
  bool is_null(size_t i) const { return std::holds_alternative<Null>(cells.at(i)); }
  int64_t i64(size_t i) const;
  double f64(size_t i) const;
  /// Text of a cell ("" for NULL; numbers are formatted).
  std::string str(size_t i) const;
  std::optional<std::string> opt_str(size_t i) const;
  std::optional<int64_t> opt_i64(size_t i) const;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t affected = 0;
  size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  const Row& operator[](size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

using Params = std::vector<Value>;

/// One database connection. Not thread-safe; borrowed from a Database for one unit of work.
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Backend backend() const = 0;
  /// Runs one statement with `?` parameters and returns its rows (and affected count).
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  /// Runs several statements without parameters (migrations).
  virtual Status exec_script(std::string_view sql) = 0;
  virtual Status begin(bool write) = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;

  /// Affected row count of a statement.
  Result<int64_t> exec(std::string_view sql, const Params& params = {});
  /// The first row, or nullopt when there is none.
  Result<std::optional<Row>> one(std::string_view sql, const Params& params = {});
  /// Serializes writers that must see each other's rows in order (audit chain, counters).
  /// SQLite already has a single writer; PostgreSQL takes a transaction advisory lock.
  Status lock_serial(int64_t key);
};

struct PoolStats {
  size_t size = 0;      ///< open connections
  size_t in_use = 0;    ///< borrowed now
  uint64_t waits = 0;   ///< times a caller had to wait for a connection
  uint64_t acquired = 0;
};

class Database;

/// A borrowed connection; returns to the pool when destroyed.
class Lease {
 public:
  Lease(Database* db, std::unique_ptr<Conn> c, bool writer) : db_(db), conn_(std::move(c)), writer_(writer) {}
  Lease(Lease&& o) noexcept : db_(o.db_), conn_(std::move(o.conn_)), writer_(o.writer_) { o.db_ = nullptr; }
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();
  Conn& operator*() { return *conn_; }
  Conn* operator->() { return conn_.get(); }

 private:
  Database* db_;
  std::unique_ptr<Conn> conn_;
  bool writer_;
};

class Database {
 public:
  /// url: "sqlite:PATH" (or a bare path) or "postgresql://…". pool: reader/total connections.
  static Result<std::unique_ptr<Database>> open(const std::string& url, size_t pool = 8);
  virtual ~Database() = default;
  virtual Backend backend() const = 0;
  /// Borrows a connection; write=true gives the single writer on SQLite.
  virtual Result<Lease> acquire(bool write) = 0;
  virtual PoolStats stats() const = 0;
  /// A human description without secrets ("sqlite:var/pbgdpl.db", "postgresql://host/db").
  virtual std::string describe() const = 0;
  /// Online backup of an SQLite database to a file (not supported on PostgreSQL).
  virtual Status backup_to(const std::string& path) = 0;

  /// Runs f(Conn&) -> Result<T> in a write transaction; commits only when f succeeds.
  template <class F>
  auto write(F&& f) -> std::invoke_result_t<F, Conn&> {
    return run_tx(true, std::forward<F>(f));
  }
  /// Runs f(Conn&) -> Result<T> in a read-only snapshot.
  template <class F>
  auto read(F&& f) -> std::invoke_result_t<F, Conn&> {
    return run_tx(false, std::forward<F>(f));
  }
  /// True when a trivial query answers.
  Status ping();

 protected:
  friend class Lease;
  virtual void release(std::unique_ptr<Conn> c, bool writer) = 0;

 private:
  template <class F>
  auto run_tx(bool write, F&& f) -> std::invoke_result_t<F, Conn&> {
    using R = std::invoke_result_t<F, Conn&>;
    auto lease = acquire(write);
    if (!lease) return R(lease.take_error());
    Conn& c = *lease.value();
    if (auto st = c.begin(write); !st) return R(st.take_error());
    R r = f(c);
    if (r.ok()) {
      if (auto st = c.commit(); !st) return R(st.take_error());
    } else {
      c.rollback();
    }
    return r;
  }
};

}  // namespace pbgdpl::storage
