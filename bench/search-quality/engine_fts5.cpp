// Peer: SQLite FTS5, configured for Vietnamese the way the SQLite documentation allows.
//   - table fts5(heading, body, tokenize = "unicode61 remove_diacritics 2"): folds case and
//     tone/hat marks; đ/Đ have no Unicode decomposition, so they are folded to d here, at
//     index and at query time (the same function on both sides);
//   - text brought to NFC first (109 ALQAC articles carry combining marks, which unicode61
//     would otherwise keep apart from their base letters); soft hyphens removed;
//   - query: the question's words, each quoted (no FTS5 syntax can leak in), OR-ed; repeated
//     words are kept (bm25() then weights them by query frequency, slightly better on the
//     tune split than de-duplicating, and it keeps "Người … người" and "nguoi … nguoi" alike);
//   - ranking: bm25() with the heading weighted 2, the body 1.
#include <sqlite3.h>

#include <cctype>
#include <filesystem>

#include "common.h"
#include "peer_text.h"
#include "text/normalize.h"

namespace bench {
namespace {

std::string prepare(const std::string& s) { return peer_text::fold_d(pbgdpl::text::nfc(s)); }
using peer_text::words;

class Fts5Engine final : public Engine {
 public:
  explicit Fts5Engine(std::string path) : path_(std::move(path)) {}
  ~Fts5Engine() override {
    if (search_) sqlite3_finalize(search_);
    if (db_) sqlite3_close(db_);
  }
  std::string name() const override { return "SQLite FTS5 (unicode61)"; }

  std::string build(const std::vector<Article>& corpus) override {
    std::error_code ec;
    std::filesystem::path p(path_);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
    std::filesystem::remove(p, ec);
    std::filesystem::remove(path_ + "-wal", ec);
    std::filesystem::remove(path_ + "-journal", ec);
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) return "sqlite3_open: " + err();
    if (auto e = exec("CREATE VIRTUAL TABLE t USING fts5(heading, body, "
                      "tokenize = \"unicode61 remove_diacritics 2\")");
        !e.empty())
      return e;
    if (auto e = exec("BEGIN"); !e.empty()) return e;
    sqlite3_stmt* ins = nullptr;
    if (sqlite3_prepare_v2(db_, "INSERT INTO t(rowid, heading, body) VALUES(?, ?, ?)", -1, &ins, nullptr) !=
        SQLITE_OK)
      return "prepare insert: " + err();
    keys_.clear();
    for (const auto& a : corpus) {
      keys_.push_back(a.key());
      std::string h = prepare(a.heading), b = prepare(a.body);
      sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(keys_.size()));
      sqlite3_bind_text(ins, 2, h.c_str(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 3, b.c_str(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(ins) != SQLITE_DONE) {
        sqlite3_finalize(ins);
        return "insert: " + err();
      }
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (auto e = exec("COMMIT"); !e.empty()) return e;
    if (auto e = exec("INSERT INTO t(t) VALUES('optimize')"); !e.empty()) return e;
    if (sqlite3_prepare_v2(db_, "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 2.0, 1.0) LIMIT ?", -1,
                           &search_, nullptr) != SQLITE_OK)
      return "prepare search: " + err();
    return {};
  }

  std::vector<std::string> search(const std::string& query, size_t k) override {
    std::vector<std::string> out;
    std::string expr;
    for (const auto& w : words(prepare(query))) {  // repeats kept: bm25() then counts them twice
      if (!expr.empty()) expr += " OR ";
      expr += '"' + w + '"';  // words contain no '"'
    }
    if (expr.empty()) return out;
    sqlite3_reset(search_);
    sqlite3_bind_text(search_, 1, expr.c_str(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(search_, 2, static_cast<sqlite3_int64>(k));
    while (sqlite3_step(search_) == SQLITE_ROW) {
      auto id = sqlite3_column_int64(search_, 0);
      if (id >= 1 && static_cast<size_t>(id) <= keys_.size()) out.push_back(keys_[static_cast<size_t>(id) - 1]);
    }
    return out;
  }

 private:
  std::string err() const { return db_ ? sqlite3_errmsg(db_) : "out of memory"; }
  std::string exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) == SQLITE_OK) return {};
    std::string e = std::string(sql).substr(0, 40) + ": " + (msg ? msg : "?");
    sqlite3_free(msg);
    return e;
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* search_ = nullptr;
  std::vector<std::string> keys_;  ///< rowid - 1 → article key
};

}  // namespace

std::unique_ptr<Engine> make_fts5_engine(const std::string& path) { return std::make_unique<Fts5Engine>(path); }

}  // namespace bench
