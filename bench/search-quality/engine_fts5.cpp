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
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cctype>
#include <filesystem>

#include "common.h"

namespace bench {
namespace {

std::string nfc(const std::string& s) {
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(st);
  if (U_FAILURE(st)) return s;
  icu::UnicodeString out = n->normalize(icu::UnicodeString::fromUTF8(s), st);
  if (U_FAILURE(st)) return s;
  std::string r;
  out.toUTF8String(r);
  return r;
}

/// NFC, soft hyphens dropped, đ/Đ (and Ð U+00D0, which a few ALQAC articles use for Đ) → d.
std::string prepare(const std::string& s) {
  std::string in = nfc(s), out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (i + 1 < in.size()) {
      unsigned char d = static_cast<unsigned char>(in[i + 1]);
      if (c == 0xC4 && (d == 0x90 || d == 0x91)) { out += 'd'; ++i; continue; }  // Đ đ
      if (c == 0xC3 && d == 0x90) { out += 'd'; ++i; continue; }                  // Ð
      if (c == 0xC2 && d == 0xAD) { ++i; continue; }                              // soft hyphen
    }
    out += static_cast<char>(c);
  }
  return out;
}

/// Words of a (prepared) query: maximal runs of ASCII letters/digits and Latin letters
/// (U+00C0–U+024F, U+1E00–U+1EFF) with combining marks; everything else separates.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = c;
    if (len == 2) cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    else if (len == 3) cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    else if (len == 4) cp = 0;  // outside every range below
    bool word = (cp < 0x80 && std::isalnum(static_cast<int>(cp))) ||
                (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x300 && cp <= 0x36F) ||
                (cp >= 0x1E00 && cp <= 0x1EFF);
    if (word) cur.append(s, i, len);
    else if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    i += len;
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

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
