// Peer: PostgreSQL full-text search, configured for Vietnamese with what PostgreSQL ships.
//   - a fresh database (UTF-8, LC_CTYPE C.UTF-8 so the default parser sees Vietnamese letters
//     as letters), dropped again when the engine goes away;
//   - CREATE EXTENSION unaccent; text search configuration vn = copy of 'simple' whose
//     word/hword/hword_part tokens go through unaccent, then simple (lower case). unaccent
//     folds tone/hat marks and đ → d;
//   - text brought to NFC first (some ALQAC articles carry combining marks, which neither the
//     parser nor unaccent handle);
//   - tsv = setweight(heading, 'A') || setweight(body, 'B'), GIN index;
//   - query: the question's words joined with | through to_tsquery('vn', $1) (words only, so
//     no tsquery syntax can leak in), ranked by
//     ts_rank('{0.1, 0.2, 1.0, 1.0}', tsv, q, 1): heading (A) and body (B) weighted alike,
//     rank divided by 1 + log(document length).
//     Chosen on the tune split (every question but each 5th), nDCG@10 as written:
//       ts_rank_cd(tsv, q, 1)                         0.158  (~1 s/query)
//       ts_rank_cd('{0.1, 0.2, 1.0, 1.0}', tsv, q, 1) 0.143  (~1 s/query)
//       ts_rank(tsv, q)                               0.560
//       ts_rank(tsv, q, 1)                            0.609  (default weights: A 1.0, B 0.4)
//       ts_rank('{0.1, 0.2, 0.5, 1.0}', tsv, q, 1)    0.746  (heading 2 : body 1)
//       ts_rank('{0.1, 0.2, 0.8, 1.0}', tsv, q, 1)    0.855
//       ts_rank('{0.1, 0.2, 1.0, 1.0}', tsv, q, 1)    0.858
//     PostgreSQL's rankers have no IDF, so a heavier heading mostly rewards headings that share
//     function words with the question; for an OR query every single occurrence of any query
//     word is a "cover", so ts_rank_cd comes down to counting hits, and it is ~10x slower.
#include <libpq-fe.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "common.h"
#include "peer_text.h"
#include "text/normalize.h"

namespace bench {
namespace {

std::string prepare(const std::string& s) { return peer_text::drop_soft_hyphens(pbgdpl::text::nfc(s)); }
using peer_text::words;

PGconn* connect(const std::string& url, const std::string& dbname) {
  const char* keys[] = {"dbname", dbname.empty() ? nullptr : "dbname", nullptr};
  const char* vals[] = {url.c_str(), dbname.empty() ? nullptr : dbname.c_str(), nullptr};
  return PQconnectdbParams(keys, vals, 1);  // the URL is expanded; a later dbname overrides its own
}

class PostgresEngine final : public Engine {
 public:
  explicit PostgresEngine(std::string url) : url_(std::move(url)) {}
  ~PostgresEngine() override {
    if (db_) PQfinish(db_);
    if (created_) {
      PGconn* admin = connect(url_, "");
      if (PQstatus(admin) == CONNECTION_OK) exec(admin, "DROP DATABASE IF EXISTS " + dbname_);
      PQfinish(admin);
    }
  }
  std::string name() const override { return "PostgreSQL 15 FTS (simple+unaccent)"; }

  std::string build(const std::vector<Article>& corpus) override {
    if (url_.empty()) return "no --pg URL given";
    dbname_ = "pbgdpl_search_quality_" + std::to_string(::getpid());
    {
      PGconn* admin = connect(url_, "");
      if (PQstatus(admin) != CONNECTION_OK) {
        std::string e = PQerrorMessage(admin);
        PQfinish(admin);
        return "connect: " + e;
      }
      std::string e = exec(admin, "DROP DATABASE IF EXISTS " + dbname_);
      if (e.empty()) {
        e = exec(admin, "CREATE DATABASE " + dbname_ +
                            " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'");
        if (e.empty()) created_ = true;
      }
      PQfinish(admin);
      if (!e.empty()) return e;
    }
    db_ = connect(url_, dbname_);
    if (PQstatus(db_) != CONNECTION_OK) return std::string("connect: ") + PQerrorMessage(db_);
    for (const char* sql : {
             "SET client_min_messages = warning",
             "CREATE EXTENSION unaccent",
             "CREATE TEXT SEARCH CONFIGURATION vn (COPY = simple)",
             "ALTER TEXT SEARCH CONFIGURATION vn ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
             "CREATE TABLE articles (id integer PRIMARY KEY, heading text NOT NULL, body text NOT NULL, "
             "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('vn', heading), 'A') || "
             "setweight(to_tsvector('vn', body), 'B')) STORED)",
             "BEGIN",
         })
      if (auto e = exec(db_, sql); !e.empty()) return e;
    PGresult* r = PQprepare(db_, "ins", "INSERT INTO articles (id, heading, body) VALUES ($1, $2, $3)", 3, nullptr);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return std::string("prepare insert: ") + PQerrorMessage(db_);
    keys_.clear();
    for (const auto& a : corpus) {
      keys_.push_back(a.key());
      std::string id = std::to_string(keys_.size()), h = prepare(a.heading), b = prepare(a.body);
      const char* v[] = {id.c_str(), h.c_str(), b.c_str()};
      r = PQexecPrepared(db_, "ins", 3, v, nullptr, nullptr, 0);
      ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (!ok) return std::string("insert: ") + PQerrorMessage(db_);
    }
    for (const char* sql : {"COMMIT", "CREATE INDEX articles_tsv ON articles USING gin (tsv)", "ANALYZE articles"})
      if (auto e = exec(db_, sql); !e.empty()) return e;
    r = PQprepare(db_, "q",
                  "SELECT id FROM articles, to_tsquery('vn', $1) q WHERE tsv @@ q "
                  "ORDER BY ts_rank('{0.1, 0.2, 1.0, 1.0}', tsv, q, 1) DESC, id LIMIT $2",
                  2, nullptr);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return std::string("prepare search: ") + PQerrorMessage(db_);
    return {};
  }

  std::vector<std::string> search(const std::string& query, size_t k) override {
    std::vector<std::string> out;
    std::string expr;
    std::set<std::string> seen;
    for (const auto& w : words(prepare(query))) {
      if (!seen.insert(w).second) continue;  // ts_rank ignores repeats
      if (!expr.empty()) expr += " | ";
      expr += w;  // letters and digits only: never tsquery syntax
    }
    if (expr.empty()) return out;
    std::string lim = std::to_string(k);
    const char* v[] = {expr.c_str(), lim.c_str()};
    PGresult* r = PQexecPrepared(db_, "q", 2, v, nullptr, nullptr, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) {
        long id = std::strtol(PQgetvalue(r, i, 0), nullptr, 10);
        if (id >= 1 && static_cast<size_t>(id) <= keys_.size()) out.push_back(keys_[static_cast<size_t>(id) - 1]);
      }
    } else if (!warned_) {
      std::fprintf(stderr, "postgres: %s", PQerrorMessage(db_));
      warned_ = true;
    }
    PQclear(r);
    return out;
  }

 private:
  static std::string exec(PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    auto st = PQresultStatus(r);
    std::string e;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) e = sql.substr(0, 60) + ": " + PQerrorMessage(c);
    PQclear(r);
    while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
    return e;
  }

  std::string url_, dbname_;
  PGconn* db_ = nullptr;
  bool created_ = false, warned_ = false;
  std::vector<std::string> keys_;  ///< id - 1 → article key
};

}  // namespace

std::unique_ptr<Engine> make_postgres_engine(const std::string& url) { return std::make_unique<PostgresEngine>(url); }

}  // namespace bench
