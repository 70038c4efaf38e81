// PostgreSQL backend over libpq: one pool, prepared statements cached per connection,
// `?` placeholders rewritten to $n.
#include <libpq-fe.h>

#include <cstdlib>
#include <unordered_map>

#include "core/log.h"
#include "storage/backends.h"
#include "storage/pool.h"

namespace pbgdpl::storage {

std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      auto e = sql.find('\n', i);
      if (e == std::string_view::npos) e = sql.size();
      out.append(sql.substr(i, e - i));
      i = e - 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      auto e = sql.find("*/", i + 2);
      e = e == std::string_view::npos ? sql.size() : e + 2;
      out.append(sql.substr(i, e - i));
      i = e - 1;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700, kOid = 26;

Error pg_error(PGconn* c, const PGresult* r, std::string_view sql) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
  std::string code = state ? state : "";
  if (code.rfind("23", 0) == 0)
    return Error::of(ErrorCode::Conflict, "Dữ liệu bị trùng hoặc vi phạm ràng buộc.");
  if (code == "40001" || code == "40P01") return Error::of(ErrorCode::Conflict);
  if (code.rfind("08", 0) == 0 || PQstatus(c) != CONNECTION_OK) {
    core::log_error("postgresql connection error: {}", msg);
    return Error::of(ErrorCode::Unavailable);
  }
  core::log_error("postgresql error state={} detail=\"{}\" sql=\"{}\"", code, msg, sql.substr(0, 200));
  return Error::of(ErrorCode::Internal);
}

class PgConn final : public Conn {
 public:
  explicit PgConn(PGconn* c) : c_(c) {}
  ~PgConn() override { PQfinish(c_); }
  Backend backend() const override { return Backend::Postgres; }
  bool broken() const { return PQstatus(c_) != CONNECTION_OK; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    std::string key(sql);
    auto it = names_.find(key);
    if (it == names_.end()) {
      if (names_.size() >= kMaxPrepared) {
        // Dynamic SQL (optional filters, IN lists) must not grow the server's prepared
        // statements forever; forgetting them all is rare and cheap. Not transactional,
        // so it works inside a transaction; names keep counting up either way.
        PQclear(PQexec(c_, "DEALLOCATE ALL"));
        names_.clear();
      }
      std::string name = "s" + std::to_string(++next_name_);
      std::string text = rewrite_placeholders(sql);
      PGresult* r = PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr);
      if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        auto e = pg_error(c_, r, sql);
        PQclear(r);
        return e;
      }
      PQclear(r);
      it = names_.emplace(key, name).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i];
      if (std::holds_alternative<Null>(v)) continue;
      if (auto p = std::get_if<int64_t>(&v)) texts[i] = std::to_string(*p);
      else if (auto d = std::get_if<double>(&v)) texts[i] = fmt::format("{}", *d);
      else texts[i] = std::get<std::string>(v);
      values[i] = texts[i].c_str();
    }
    PGresult* r = PQexecPrepared(c_, it->second.c_str(), static_cast<int>(params.size()), values.data(),
                                 nullptr, nullptr, 0);
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{r};
    auto status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return pg_error(c_, r, sql);
    Rows out;
    int nf = PQnfields(r), nt = PQntuples(r);
    for (int f = 0; f < nf; ++f) out.columns.emplace_back(PQfname(r, f));
    out.rows.reserve(nt);
    for (int t = 0; t < nt; ++t) {
      Row row;
      row.cells.reserve(nf);
      for (int f = 0; f < nf; ++f) {
        if (PQgetisnull(r, t, f)) {
          row.cells.emplace_back(Null{});
          continue;
        }
        const char* s = PQgetvalue(r, t, f);
        switch (PQftype(r, f)) {
          case kInt2: case kInt4: case kInt8: case kOid:
            row.cells.emplace_back(static_cast<int64_t>(std::strtoll(s, nullptr, 10)));
            break;
          case kFloat4: case kFloat8: case kNumeric:
            row.cells.emplace_back(std::strtod(s, nullptr));
            break;
          case kBool:
            row.cells.emplace_back(static_cast<int64_t>(s[0] == 't'));
            break;
          default:
            row.cells.emplace_back(std::string(s, PQgetlength(r, t, f)));
        }
      }
      out.rows.push_back(std::move(row));
    }
    const char* aff = PQcmdTuples(r);
    out.affected = (aff && *aff) ? std::strtoll(aff, nullptr, 10) : 0;
    return out;
  }

  Status exec_script(std::string_view sql) override {
    std::string s(sql);
    PGresult* r = PQexec(c_, s.c_str());
    auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string msg = PQresultErrorMessage(r);
      PQclear(r);
      core::log_error("postgresql script error: {}", msg);
      return Error::of(ErrorCode::Internal, "Lỗi khi chạy lệnh SQL: " + msg);
    }
    PQclear(r);
    return {};
  }

  Status begin(bool write) override {
    // Reads get one snapshot for the whole transaction, as SQLite's deferred BEGIN gives:
    // a page that counts then lists must not see rows committed in between. A read-only
    // REPEATABLE READ transaction never fails with a serialization error.
    auto st = exec_script(write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (st) in_tx_ = true;
    return st;
  }
  Status commit() override {
    in_tx_ = false;
    PGresult* r = PQexec(c_, "COMMIT");
    auto status = PQresultStatus(r);
    // A failed transaction answers COMMIT with ROLLBACK; treat that as an error.
    std::string tag = PQcmdStatus(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK || tag != "COMMIT") return Error::of(ErrorCode::Conflict);
    return {};
  }
  void rollback() override {
    if (PQtransactionStatus(c_) != PQTRANS_IDLE) {
      PGresult* r = PQexec(c_, "ROLLBACK");
      PQclear(r);
    }
    in_tx_ = false;
  }
  bool in_transaction() const override { return PQtransactionStatus(c_) != PQTRANS_IDLE; }

 private:
  PGconn* c_;
  static constexpr size_t kMaxPrepared = 256;
  std::unordered_map<std::string, std::string> names_;
  uint64_t next_name_ = 0;
  bool in_tx_ = false;
};

void quiet_notice(void*, const char*) {}

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, size_t pool)
      : url_(std::move(url)), pool_([this] { return connect(); }, pool) {}

  Result<std::unique_ptr<Conn>> connect() {
    // A default connect timeout: an unreachable host must fail startup in seconds, not after
    // the kernel's TCP timeout. A connect_timeout in the URL wins (it is expanded later).
    const char* keys[] = {"connect_timeout", "dbname", nullptr};
    const char* vals[] = {"10", url_.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(c);
      PQfinish(c);
      core::log_error("postgresql connect failed: {}", msg);
      return Error::of(ErrorCode::Unavailable, "Không kết nối được PostgreSQL: " + msg);
    }
    PQsetNoticeProcessor(c, quiet_notice, nullptr);
    PGresult* r = PQexec(c, "SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC'");
    PQclear(r);
    return std::unique_ptr<Conn>(std::make_unique<PgConn>(c));
  }

  Backend backend() const override { return Backend::Postgres; }
  Result<Lease> acquire(bool write) override {
    auto c = pool_.take();
    if (!c) return c.take_error();
    return Lease(this, std::move(c.value()), write);
  }
  PoolStats stats() const override { return pool_.stats(); }
  std::string describe() const override {
    // Strip credentials: postgresql://user:pass@host/db?password=x -> postgresql://host/db
    auto at = url_.find('@');
    std::string d = at == std::string::npos ? url_ : "postgresql://" + url_.substr(at + 1);
    auto q = d.find('?');
    if (q == std::string::npos) return d;
    std::string kept;
    for (size_t p = q + 1; p <= d.size();) {
      auto amp = d.find('&', p);
      if (amp == std::string::npos) amp = d.size();
      auto kv = d.substr(p, amp - p);
      auto key = kv.substr(0, kv.find('='));
      if (!kv.empty() && key != "password" && key != "sslpassword") kept += (kept.empty() ? "" : "&") + kv;
      p = amp + 1;
    }
    return d.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  }
  Status backup_to(const std::string&) override {
    return Error::of(ErrorCode::Validation,
                     "Sao lưu PostgreSQL dùng pg_dump: pg_dump --format=custom --file=FILE '" + describe() + "'");
  }

 protected:
  void release(std::unique_ptr<Conn> c, bool) override {
    auto* pg = static_cast<PgConn*>(c.get());
    if (pg->in_transaction()) pg->rollback();
    pool_.give(std::move(c), pg->broken() || pg->in_transaction());
  }

 private:
  std::string url_;
  ConnPool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const std::string& url, size_t pool) {
  auto db = std::make_unique<PgDatabase>(url, pool);
  {
    auto l = db->acquire(true);
    if (!l) return l.take_error();
  }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace pbgdpl::storage
