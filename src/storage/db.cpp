#include "storage/db.h"

#include <fmt/format.h>

#include "storage/backends.h"

namespace pbgdpl::storage {

std::string_view backend_name(Backend b) { return b == Backend::Sqlite ? "sqlite" : "postgresql"; }

int64_t Row::i64(size_t i) const {
  const auto& v = cells.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    try {
      return std::stoll(*p);
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

double Row::f64(size_t i) const {
  const auto& v = cells.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    try {
      return std::stod(*p);
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

std::string Row::str(size_t i) const {
  const auto& v = cells.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return fmt::format("{}", *p);
  return {};
}

std::optional<std::string> Row::opt_str(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return str(i);
}

std::optional<int64_t> Row::opt_i64(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

Result<int64_t> Conn::exec(std::string_view sql, const Params& params) {
  auto r = query(sql, params);
  if (!r) return r.take_error();
  return r->affected;
}

Result<std::optional<Row>> Conn::one(std::string_view sql, const Params& params) {
  auto r = query(sql, params);
  if (!r) return r.take_error();
  if (r->rows.empty()) return std::optional<Row>{};
  return std::optional<Row>(std::move(r->rows.front()));
}

Status Conn::lock_serial(int64_t key) {
  if (backend() == Backend::Sqlite) return {};
  auto r = query("SELECT pg_advisory_xact_lock(?)", {key});
  if (!r) return r.take_error();
  return {};
}

Lease::~Lease() {
  if (db_ && conn_) db_->release(std::move(conn_), writer_);
}

Status Database::ping() {
  return read([](Conn& c) -> Status {
    auto r = c.query("SELECT 1");
    if (!r) return r.take_error();
    return {};
  });
}

Result<std::unique_ptr<Database>> Database::open(const std::string& url, size_t pool) {
  if (pool == 0) pool = 1;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return open_postgres(url, pool);
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty()) return Error::of(ErrorCode::Validation, "Đường dẫn cơ sở dữ liệu SQLite trống.");
  // The writer and the readers are separate connections; each would get its own empty
  // in-memory database and read() would never see a committed write.
  if (path == ":memory:" || path.rfind("file::memory:", 0) == 0)
    return Error::of(ErrorCode::Validation,
                     "Không dùng được SQLite :memory: (mỗi kết nối là một cơ sở dữ liệu riêng); "
                     "hãy dùng một tệp, ví dụ trong thư mục tạm.");
  return open_sqlite(path, pool);
}

}  // namespace pbgdpl::storage
