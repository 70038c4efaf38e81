// Peer: SQLite FTS5 in-process, configured as in bench/search-quality:
//   fts5(heading, body, tokenize = "unicode61 remove_diacritics 2"), text NFC (the corpus is
//   NFC already; queries are brought to NFC), đ/Đ/Ð → d and soft hyphens dropped on both
//   sides; 'optimize' after the load; query = the distinct words, each quoted, OR-ed;
//   ORDER BY bm25(t, 2.0, 1.0) LIMIT 10. One connection per client thread (read-only).
#include <sqlite3.h>

#include <filesystem>

#include "peer_text.h"
#include "speed.h"
#include "text/normalize.h"

namespace speed {
namespace {

using peer_text::fold_d;

class Fts5Client final : public Client {
 public:
  explicit Fts5Client(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) return;
    sqlite3_prepare_v2(db_, "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 2.0, 1.0) LIMIT 10", -1, &stmt_,
                       nullptr);
  }
  ~Fts5Client() override {
    if (stmt_) sqlite3_finalize(stmt_);
    if (db_) sqlite3_close(db_);
  }
  size_t search(const std::string& q) override {
    if (!stmt_) return 0;
    std::string expr;
    for (const auto& w : peer_text::distinct_words(fold_d(pbgdpl::text::nfc(q)))) {
      if (!expr.empty()) expr += " OR ";
      expr += '"' + w + '"';
    }
    if (expr.empty()) return 0;
    sqlite3_reset(stmt_);
    sqlite3_bind_text(stmt_, 1, expr.c_str(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    size_t n = 0;
    while (sqlite3_step(stmt_) == SQLITE_ROW) n += sqlite3_column_int64(stmt_, 0) > 0;
    return n;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Fts5Engine final : public Engine {
 public:
  explicit Fts5Engine(const EngineConfig& c) : path_(c.work + "/fts5/fts5.db") {}
  std::string name() const override { return "SQLite FTS5"; }

  std::string build(const std::string& corpus) override {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(path_).parent_path(), ec);
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
    sqlite3* db = nullptr;
    if (sqlite3_open(path_.c_str(), &db) != SQLITE_OK) return "sqlite3_open failed";
    auto exec = [&](const char* sql) -> std::string {
      char* msg = nullptr;
      if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK) return {};
      std::string e = std::string(sql).substr(0, 40) + ": " + (msg ? msg : "?");
      sqlite3_free(msg);
      return e;
    };
    std::string err;
    for (const char* sql : {"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF",
                            "CREATE VIRTUAL TABLE t USING fts5(heading, body, tokenize = \"unicode61 remove_diacritics 2\")",
                            "BEGIN"})
      if (err = exec(sql); !err.empty()) break;
    sqlite3_stmt* ins = nullptr;
    if (err.empty() &&
        sqlite3_prepare_v2(db, "INSERT INTO t(rowid, heading, body) VALUES(?, ?, ?)", -1, &ins, nullptr) != SQLITE_OK)
      err = std::string("prepare: ") + sqlite3_errmsg(db);
    if (err.empty()) {
      bool ok = read_corpus(corpus, [&](Article& a) {
        std::string h = fold_d(a.heading), b = fold_d(a.body);
        sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(a.id));
        sqlite3_bind_text(ins, 2, h.c_str(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, b.c_str(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(ins) != SQLITE_DONE) {
          err = std::string("insert: ") + sqlite3_errmsg(db);
          return false;
        }
        sqlite3_reset(ins);
        return true;
      });
      if (!ok) err = "cannot read " + corpus;
    }
    if (ins) sqlite3_finalize(ins);
    if (err.empty()) err = exec("COMMIT");
    if (err.empty()) err = exec("INSERT INTO t(t) VALUES('optimize')");
    if (err.empty()) err = exec("VACUUM");
    sqlite3_close(db);
    return err;
  }

  std::string open() override { return std::filesystem::exists(path_) ? "" : path_ + " missing"; }
  std::unique_ptr<Client> client() override { return std::make_unique<Fts5Client>(path_); }
  uint64_t disk_bytes() override { return du(path_); }
  std::string notes() const override { return "in-process; unicode61 remove_diacritics 2 + đ→d, bm25, OR of distinct words"; }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<Engine> make_fts5_engine(const EngineConfig& c) { return std::make_unique<Fts5Engine>(c); }

}  // namespace speed
