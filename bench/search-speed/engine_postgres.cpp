// Peer: PostgreSQL 15 full-text search, configured as in bench/search-quality:
//   database "speed" (UTF-8, C.UTF-8); text search configuration vn = copy of simple whose
//   word/hword/hword_part tokens go through unaccent (tone/hat marks, đ → d), then simple;
//   tsv = setweight(heading, 'A') || setweight(body, 'B') as a stored generated column;
//   GIN index; query = the distinct words joined with | through to_tsquery('vn', $1),
//   ORDER BY ts_rank('{0.1, 0.2, 1.0, 1.0}', tsv, q, 1) DESC, id LIMIT 10 — the ranking
//   chosen on the tune split in bench/search-quality (ts_rank_cd scores far lower there and is
//   ~10x slower with OR queries). The load uses COPY, the index build
//   maintenance_work_mem = 1GB; the server otherwise runs with scripts/pg-test.sh defaults
//   (shared_buffers 128MB). One connection per client thread.
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "peer_text.h"
#include "speed.h"
#include "text/normalize.h"

namespace speed {
namespace {

const char* kSearch =
    "SELECT id FROM articles, to_tsquery('vn', $1) q WHERE tsv @@ q ORDER BY ts_rank('{0.1, 0.2, 1.0, 1.0}', tsv, q, 1) DESC, id "
    "LIMIT 10";

PGconn* connect(const std::string& url, const char* dbname) {
  const char* keys[] = {"dbname", dbname ? "dbname" : nullptr, nullptr};
  const char* vals[] = {url.c_str(), dbname, nullptr};
  return PQconnectdbParams(keys, vals, 1);
}

std::string exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  auto st = PQresultStatus(r);
  std::string e;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN)
    e = sql.substr(0, 60) + ": " + PQerrorMessage(c);
  PQclear(r);
  return e;
}

/// COPY text format: backslash, tab, newline, carriage return escaped.
void copy_escape(const std::string& s, std::string& out) {
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
}

using peer_text::drop_soft_hyphens;

class PgClient final : public Client {
 public:
  explicit PgClient(const std::string& url) {
    db_ = connect(url, "speed");
    if (PQstatus(db_) != CONNECTION_OK) {
      std::fprintf(stderr, "postgres: %s", PQerrorMessage(db_));
      return;
    }
    PGresult* r = PQprepare(db_, "q", kSearch, 1, nullptr);
    ok_ = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok_) std::fprintf(stderr, "postgres prepare: %s", PQerrorMessage(db_));
    PQclear(r);
  }
  ~PgClient() override { PQfinish(db_); }
  size_t search(const std::string& q) override {
    if (!ok_) return 0;
    std::string expr;
    for (const auto& w : peer_text::distinct_words(drop_soft_hyphens(pbgdpl::text::nfc(q)))) {
      if (!expr.empty()) expr += " | ";
      expr += w;
    }
    if (expr.empty()) return 0;
    const char* v[] = {expr.c_str()};
    PGresult* r = PQexecPrepared(db_, "q", 1, v, nullptr, nullptr, 0);
    size_t n = PQresultStatus(r) == PGRES_TUPLES_OK ? static_cast<size_t>(PQntuples(r)) : 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK && !warned_) {
      std::fprintf(stderr, "postgres: %s", PQerrorMessage(db_));
      warned_ = true;
    }
    PQclear(r);
    return n;
  }

 private:
  PGconn* db_ = nullptr;
  bool ok_ = false, warned_ = false;
};

class PgEngine final : public Engine {
 public:
  explicit PgEngine(const EngineConfig& c) : url_(c.pg_url), dir_(c.pg_dir) {}
  std::string name() const override { return "PostgreSQL 15 FTS"; }

  std::string build(const std::string& corpus) override {
    if (url_.empty()) return "no --pg URL";
    {
      PGconn* admin = connect(url_, nullptr);
      if (PQstatus(admin) != CONNECTION_OK) {
        std::string e = PQerrorMessage(admin);
        PQfinish(admin);
        return "connect: " + e;
      }
      std::string e = exec(admin, "DROP DATABASE IF EXISTS speed");
      if (e.empty())
        e = exec(admin, "CREATE DATABASE speed TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'");
      PQfinish(admin);
      if (!e.empty()) return e;
    }
    PGconn* db = connect(url_, "speed");
    if (PQstatus(db) != CONNECTION_OK) return std::string("connect: ") + PQerrorMessage(db);
    std::string err;
    for (const char* sql : {
             "SET client_min_messages = warning",
             "CREATE EXTENSION unaccent",
             "CREATE TEXT SEARCH CONFIGURATION vn (COPY = simple)",
             "ALTER TEXT SEARCH CONFIGURATION vn ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
             "CREATE TABLE articles (id integer PRIMARY KEY, heading text NOT NULL, body text NOT NULL, "
             "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('vn', heading), 'A') || "
             "setweight(to_tsvector('vn', body), 'B')) STORED)",
             "COPY articles (id, heading, body) FROM STDIN",
         })
      if (err = exec(db, sql); !err.empty()) break;
    if (err.empty()) {
      std::string buf;
      bool ok = read_corpus(corpus, [&](Article& a) {
        buf += std::to_string(a.id);
        buf += '\t';
        copy_escape(drop_soft_hyphens(a.heading), buf);
        buf += '\t';
        copy_escape(drop_soft_hyphens(a.body), buf);
        buf += '\n';
        if (buf.size() > (1 << 20)) {
          if (PQputCopyData(db, buf.data(), static_cast<int>(buf.size())) != 1) {
            err = std::string("COPY: ") + PQerrorMessage(db);
            return false;
          }
          buf.clear();
        }
        return true;
      });
      if (!ok) err = "cannot read " + corpus;
      if (err.empty() && !buf.empty() && PQputCopyData(db, buf.data(), static_cast<int>(buf.size())) != 1)
        err = std::string("COPY: ") + PQerrorMessage(db);
      PQputCopyEnd(db, err.empty() ? nullptr : "aborted");
      PGresult* r = PQgetResult(db);
      if (err.empty() && PQresultStatus(r) != PGRES_COMMAND_OK) err = std::string("COPY: ") + PQerrorMessage(db);
      PQclear(r);
      while ((r = PQgetResult(db))) PQclear(r);
    }
    for (const char* sql : {"SET maintenance_work_mem = '1GB'", "CREATE INDEX articles_tsv ON articles USING gin (tsv)",
                            "VACUUM ANALYZE articles"})
      if (err.empty()) err = exec(db, sql);
    PQfinish(db);
    return err;
  }

  std::string open() override {
    PGconn* db = connect(url_, "speed");
    std::string e = PQstatus(db) == CONNECTION_OK ? "" : std::string("connect: ") + PQerrorMessage(db);
    PQfinish(db);
    return e;
  }
  std::unique_ptr<Client> client() override { return std::make_unique<PgClient>(url_); }

  uint64_t disk_bytes() override {
    PGconn* db = connect(url_, "speed");
    uint64_t n = 0;
    if (PQstatus(db) == CONNECTION_OK) {
      PGresult* r = PQexec(db, "SELECT pg_total_relation_size('articles')");
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) n = std::strtoull(PQgetvalue(r, 0, 0), nullptr, 10);
      PQclear(r);
    }
    PQfinish(db);
    return n;
  }

  std::vector<pid_t> server_pids() override {
    std::ifstream f(dir_ + "/data/postmaster.pid");
    long pid = 0;
    f >> pid;
    return pid > 0 ? std::vector<pid_t>{static_cast<pid_t>(pid)} : std::vector<pid_t>{};
  }
  std::string notes() const override {
    return "server; simple+unaccent, GIN, ts_rank (A=B=1, norm 1), OR of distinct words; table+TOAST+GIN size";
  }

 private:
  std::string url_, dir_;
};

}  // namespace

std::unique_ptr<Engine> make_postgres_engine(const EngineConfig& c) { return std::make_unique<PgEngine>(c); }

}  // namespace speed
