#include "storage/db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <thread>

#include "fixture.h"
#include "support.h"

namespace pbgdpl::storage {
namespace {

using std::chrono::milliseconds;

class Db : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    ddl("CREATE TABLE notes (id " + pk() + ", n BIGINT, x DOUBLE PRECISION, s TEXT, o TEXT)");
    ddl("CREATE TABLE uniq (code TEXT NOT NULL UNIQUE, title TEXT)");
  }
};
PBGDPL_BACKEND_SUITE(Db);

TEST_P(Db, EveryValueTypeRoundTripsThroughPlaceholders) {
  const int64_t big = std::numeric_limits<int64_t>::max(), small = std::numeric_limits<int64_t>::min();
  auto st = db_->write([&](Conn& c) -> Status {
    PBGDPL_TRY(c.exec("INSERT INTO notes (n, x, s, o) VALUES (?, ?, ?, ?)", {big, 0.1, std::string("một"), Null{}}));
    PBGDPL_TRY(c.exec("INSERT INTO notes (n, x, s, o) VALUES (?, ?, ?, ?)",
                      {small, -1234.5e-7, std::string(""), opt(std::optional<std::string>("có"))}));
    PBGDPL_TRY(c.exec("INSERT INTO notes (n, x, s, o) VALUES (?, ?, ?, ?)",
                      {opt(std::optional<int64_t>()), Null{}, Null{}, Null{}}));
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().message;

  auto rows = db_->read([](Conn& c) { return c.query("SELECT n, x, s, o FROM notes ORDER BY id"); });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"n", "x", "s", "o"}));
  const Row& a = (*rows)[0];
  ASSERT_TRUE(std::holds_alternative<int64_t>(a.cells[0]));
  EXPECT_EQ(a.i64(0), big);
  ASSERT_TRUE(std::holds_alternative<double>(a.cells[1]));
  EXPECT_EQ(a.f64(1), 0.1);  // exact: the shortest round-trip text form on PostgreSQL
  EXPECT_EQ(a.str(2), "một");
  EXPECT_TRUE(a.is_null(3));
  EXPECT_EQ(a.opt_str(3), std::nullopt);
  EXPECT_EQ(a.str(3), "");

  const Row& b = (*rows)[1];
  EXPECT_EQ(b.i64(0), small);
  EXPECT_EQ(b.f64(1), -1234.5e-7);
  ASSERT_TRUE(std::holds_alternative<std::string>(b.cells[2]));
  EXPECT_EQ(b.str(2), "");  // empty text is not NULL
  EXPECT_FALSE(b.is_null(2));
  EXPECT_EQ(b.opt_str(3), "có");

  const Row& c = (*rows)[2];
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(c.is_null(i)) << "column " << i;
  EXPECT_EQ(c.opt_i64(0), std::nullopt);

  // Placeholders in WHERE of each type, including IS NULL through a parameter-free query.
  auto found = db_->read([&](Conn& cn) {
    return cn.query("SELECT s FROM notes WHERE n = ? AND x = ? AND s = ?", {big, 0.1, std::string("một")});
  });
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].str(0), "một");
  auto nulls = db_->read([](Conn& cn) { return cn.one("SELECT COUNT(*) FROM notes WHERE o IS NULL"); });
  ASSERT_TRUE(nulls.ok());
  EXPECT_EQ((*nulls)->i64(0), 2);
}

TEST_P(Db, VietnameseTextIsStoredByteForByteNfcAndNfd) {
  const std::string nfc = "Luật Đất đai số 31/2024/QH15 — quyền sử dụng đất; Nghị định 15/2020/NĐ-CP “hoà giải”";
  // "Quyền" written decomposed: e + U+0302 (circumflex) + U+0300 (grave).
  const std::string nfd = "Quye\xCC\x82\xCC\x80n sử dụng";
  const std::string emoji = "Cổng PBGDPL \xF0\x9F\x87\xBB\xF0\x9F\x87\xB3";
  auto st = db_->write([&](Conn& c) -> Status {
    for (const auto& s : {nfc, nfd, emoji}) PBGDPL_TRY(c.exec("INSERT INTO notes (s) VALUES (?)", {s}));
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto rows = db_->read([](Conn& c) { return c.query("SELECT s FROM notes ORDER BY id"); });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].str(0), nfc);
  EXPECT_EQ((*rows)[1].str(0), nfd);  // storage never normalizes: text/ does that, on purpose
  EXPECT_EQ((*rows)[2].str(0), emoji);

  // Equality is on bytes: the NFD spelling does not match the NFC one.
  auto n = db_->read([](Conn& c) {
    return c.one("SELECT COUNT(*) FROM notes WHERE s = ?", {std::string("Quyền sử dụng")});
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->i64(0), 0);
  auto m = db_->read([&](Conn& c) { return c.one("SELECT id FROM notes WHERE s = ?", {nfd}); });
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->has_value());
}

TEST_P(Db, ReturningGivesNewIdsAndExecCountsAffectedRows) {
  auto ids = db_->write([](Conn& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> out;
    for (const char* s : {"a", "b", "c"}) {
      auto r = c.one("INSERT INTO notes (s, n) VALUES (?, 1) RETURNING id", {std::string(s)});
      if (!r) return r.take_error();
      if (!r->has_value()) return Error::of(ErrorCode::Internal, "no id");
      out.push_back((*r)->i64(0));
    }
    return out;
  });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  ASSERT_EQ(ids->size(), 3u);
  EXPECT_LT((*ids)[0], (*ids)[1]);
  EXPECT_LT((*ids)[1], (*ids)[2]);
  EXPECT_GT((*ids)[0], 0);

  auto affected = db_->write([&](Conn& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> out;
    for (auto [sql, p] : std::vector<std::pair<std::string, Params>>{
             {"UPDATE notes SET n = 2 WHERE id <> ?", {(*ids)[0]}},
             {"DELETE FROM notes WHERE id = ?", {int64_t{999999}}},
             {"DELETE FROM notes WHERE n = ?", {int64_t{1}}}}) {
      auto n = c.exec(sql, p);
      if (!n) return n.take_error();
      out.push_back(*n);
    }
    return out;
  });
  ASSERT_TRUE(affected.ok()) << affected.error().message;
  EXPECT_EQ(*affected, (std::vector<int64_t>{2, 0, 1}));
  auto none = db_->read([](Conn& c) { return c.one("SELECT id FROM notes WHERE id < 0"); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(Db, WriteCommitsWhenTheLambdaSucceeds) {
  auto id = db_->write([](Conn& c) -> Result<int64_t> {
    auto r = c.one("INSERT INTO notes (s) VALUES (?) RETURNING id", {std::string("đã lưu")});
    if (!r) return r.take_error();
    return (*r)->i64(0);
  });
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto back = db_->read([&](Conn& c) { return c.one("SELECT s FROM notes WHERE id = ?", {*id}); });
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ((*back)->str(0), "đã lưu");
}

TEST_P(Db, WriteRollsBackEverythingWhenTheLambdaFails) {
  auto st = db_->write([](Conn& c) -> Status {
    PBGDPL_TRY(c.exec("INSERT INTO notes (s) VALUES ('một')"));
    PBGDPL_TRY(c.exec("INSERT INTO notes (s) VALUES ('hai')"));
    return Error::of(ErrorCode::Validation, "Tiêu đề không được để trống.", "title");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::Validation);  // the lambda's own error comes back unchanged
  EXPECT_EQ(st.error().message, "Tiêu đề không được để trống.");
  EXPECT_EQ(st.error().field, "title");
  EXPECT_EQ(count("notes"), 0);

  // A statement failing half way (the second insert violates UNIQUE) undoes the first.
  auto st2 = db_->write([](Conn& c) -> Status {
    PBGDPL_TRY(c.exec("INSERT INTO uniq (code) VALUES ('A')"));
    PBGDPL_TRY(c.exec("INSERT INTO notes (s) VALUES ('nửa chừng')"));
    PBGDPL_TRY(c.exec("INSERT INTO uniq (code) VALUES ('A')"));
    return {};
  });
  ASSERT_FALSE(st2.ok());
  EXPECT_EQ(count("uniq"), 0);
  EXPECT_EQ(count("notes"), 0);

  // The writer connection is clean afterwards: the next write works and commits.
  auto st3 = db_->write([](Conn& c) { return c.exec("INSERT INTO uniq (code) VALUES ('A')"); });
  ASSERT_TRUE(st3.ok()) << st3.error().message;
  EXPECT_EQ(count("uniq"), 1);
}

TEST_P(Db, ExceptionInsideWriteRollsBackAndLeavesThePoolUsable) {
  EXPECT_THROW((void)db_->write([](Conn& c) -> Status {
    (void)c.exec("INSERT INTO notes (s) VALUES ('x')");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count("notes"), 0);
  auto st = db_->write([](Conn& c) { return c.exec("INSERT INTO notes (s) VALUES ('y')"); });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(count("notes"), 1);
}

TEST_P(Db, UniqueViolationIsAConflictWithAVietnameseMessage) {
  ASSERT_TRUE(db_->write([](Conn& c) { return c.exec("INSERT INTO uniq (code) VALUES (?)", {std::string("91/2015/QH13")}); }).ok());
  auto dup = db_->write([](Conn& c) { return c.exec("INSERT INTO uniq (code) VALUES (?)", {std::string("91/2015/QH13")}); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::Conflict);
  EXPECT_EQ(core::error_status(dup.error().code), 409);
  EXPECT_NE(dup.error().message.find("trùng"), std::string::npos) << dup.error().message;
  EXPECT_EQ(count("uniq"), 1);
}

TEST_P(Db, ReadSeesCommittedDataAndNotUncommitted) {
  ASSERT_TRUE(db_->write([](Conn& c) { return c.exec("INSERT INTO notes (s) VALUES ('đã cam kết')"); }).ok());
  EXPECT_EQ(count("notes"), 1);

  // While a write transaction holds an uncommitted row, readers do not see it.
  std::atomic<bool> inserted{false}, checked{false};
  std::thread writer([&] {
    (void)db_->write([&](Conn& c) -> Status {
      PBGDPL_TRY(c.exec("INSERT INTO notes (s) VALUES ('chưa cam kết')"));
      inserted = true;
      while (!checked) std::this_thread::sleep_for(milliseconds(2));
      return Error::of(ErrorCode::Validation);  // roll back
    });
  });
  while (!inserted) std::this_thread::sleep_for(milliseconds(2));
  EXPECT_EQ(count("notes"), 1);
  checked = true;
  writer.join();
  EXPECT_EQ(count("notes"), 1);
}

TEST_P(Db, ReadIsOneSnapshotOnBothBackends) {
  ASSERT_TRUE(db_->write([](Conn& c) { return c.exec("INSERT INTO notes (s) VALUES ('a')"); }).ok());
  auto seen = db_->read([&](Conn& c) -> Result<std::pair<int64_t, int64_t>> {
    auto before = c.one("SELECT COUNT(*) FROM notes");
    if (!before) return before.take_error();
    // Another connection commits in the middle of our read transaction.
    std::thread t([&] {
      auto st = db_->write([](Conn& w) { return w.exec("INSERT INTO notes (s) VALUES ('b')"); });
      EXPECT_TRUE(st.ok());
    });
    t.join();
    auto after = c.one("SELECT COUNT(*) FROM notes");
    if (!after) return after.take_error();
    return std::pair{(*before)->i64(0), (*after)->i64(0)};
  });
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  EXPECT_EQ(seen->first, 1);
  EXPECT_EQ(seen->second, 1) << "a read() must not see writes committed after it started";
  EXPECT_EQ(count("notes"), 2);
}

TEST_P(Db, WritingInsideReadIsRefusedOnBothBackends) {
  auto st = db_->read([](Conn& c) { return c.exec("INSERT INTO notes (s) VALUES ('lén')"); });
  EXPECT_FALSE(st.ok()) << "read() handed out a connection that can write";
  EXPECT_EQ(count("notes"), 0);
}

TEST_P(Db, SeveralStatementsInOneQueryAreRefusedNotHalfRun) {
  auto st = db_->write([](Conn& c) {
    return c.exec("INSERT INTO notes (s) VALUES ('1'); INSERT INTO notes (s) VALUES ('2')");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(count("notes"), 0);
  // A trailing semicolon, whitespace and comment are one statement, not several.
  auto ok = db_->write([](Conn& c) { return c.exec("INSERT INTO notes (s) VALUES ('1');  -- xong\n"); });
  EXPECT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(count("notes"), 1);
}

TEST_P(Db, ManyDistinctStatementsDoNotGrowTheStatementCacheWithoutBound) {
  // Modules build SQL with optional filters and IN lists: each distinct text is prepared
  // and cached per connection. The cache is bounded, and evicting it breaks nothing.
  constexpr int kDistinct = 700;
  auto st = db_->write([&](Conn& c) -> Status {
    for (int i = 0; i < kDistinct; ++i) {
      auto r = c.one("SELECT ? + " + std::to_string(i), {int64_t{1000}});
      if (!r) return r.take_error();
      if ((*r)->i64(0) != 1000 + i) return Error::of(ErrorCode::Internal, "wrong answer at " + std::to_string(i));
      PBGDPL_TRY(c.exec("INSERT INTO notes (n) VALUES (?)", {int64_t{i}}));  // a hot statement, reused
    }
    if (c.backend() == Backend::Postgres) {
      auto n = c.one("SELECT COUNT(*) FROM pg_prepared_statements");
      if (!n) return n.take_error();
      if ((*n)->i64(0) > 300)
        return Error::of(ErrorCode::Internal, std::to_string((*n)->i64(0)) + " prepared statements on the server");
    }
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(count("notes"), kDistinct);
}

TEST_P(Db, EightConcurrentWritersLoseNothing) {
  constexpr int kThreads = 8, kRows = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRows; ++i) {
        auto st = db_->write([&](Conn& c) {
          return c.exec("INSERT INTO notes (n, s) VALUES (?, ?)",
                        {int64_t{t}, "luồng " + std::to_string(t) + " dòng " + std::to_string(i)});
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(count("notes"), kThreads * kRows);
  auto per = db_->read([](Conn& c) { return c.query("SELECT n, COUNT(*), COUNT(DISTINCT s) FROM notes GROUP BY n ORDER BY n"); });
  ASSERT_TRUE(per.ok());
  ASSERT_EQ(per->size(), static_cast<size_t>(kThreads));
  for (const auto& r : *per) {
    EXPECT_EQ(r.i64(1), kRows);
    EXPECT_EQ(r.i64(2), kRows);
  }
  auto s = db_->stats();
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_GE(s.acquired, static_cast<uint64_t>(kThreads * kRows));
}

TEST_P(Db, PoolStatsCountOpenBorrowedAcquiredAndWaits) {
  auto small = Database::open(tdb_->url(), 2);
  ASSERT_TRUE(small.ok()) << small.error().message;
  Database& db = **small;
  auto s0 = db.stats();
  EXPECT_EQ(s0.in_use, 0u);
  EXPECT_EQ(s0.waits, 0u);
  EXPECT_GE(s0.size, 1u);  // opening checks one connection
  {
    auto a = db.acquire(false);
    auto b = db.acquire(false);
    ASSERT_TRUE(a.ok() && b.ok());
    auto s1 = db.stats();
    EXPECT_EQ(s1.in_use, 2u);
    EXPECT_EQ(s1.acquired, s0.acquired + 2);
    EXPECT_LE(s1.size, pg() ? 2u : 3u);  // SQLite: the writer plus two readers

    // A third borrower waits until one is returned.
    std::atomic<bool> got{false};
    std::thread t([&] {
      auto c = db.acquire(false);
      EXPECT_TRUE(c.ok());
      got = true;
    });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (db.stats().waits == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(milliseconds(2));
    EXPECT_EQ(db.stats().waits, 1u);
    EXPECT_FALSE(got);
    { auto release = std::move(a.value()); }
    t.join();
    EXPECT_TRUE(got);
  }
  auto s2 = db.stats();
  EXPECT_EQ(s2.in_use, 0u);
  EXPECT_EQ(s2.acquired, s0.acquired + 3);
  EXPECT_TRUE(db.ping().ok());
}

TEST_P(Db, DescribeNeverShowsTheDatabaseSecret) {
  if (!pg()) {
    EXPECT_EQ(db_->describe(), tdb_->url());
    return;
  }
  // postgresql://user@host:port/db → postgresql://user:SECRET@host:port/db?password=SECRET2
  std::string url = tdb_->url();
  auto at = url.find('@');
  ASSERT_NE(at, std::string::npos);
  std::string with_secrets = url.substr(0, at) + ":mk-bi-mat" + url.substr(at) + "?application_name=t&password=mk2-bi-mat";
  auto db = Database::open(with_secrets, 1);  // the test server trusts loopback: passwords are ignored
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto d = (*db)->describe();
  EXPECT_EQ(d.find("bi-mat"), std::string::npos) << d;
  EXPECT_NE(d.find(std::string(tdb_->url().substr(tdb_->url().rfind('/')))), std::string::npos) << d;
}

TEST_P(Db, BackupToMakesAnOpenableCopyOnSqliteAndPointsToPgDumpOnPostgres) {
  ASSERT_TRUE(db_->write([](Conn& c) -> Status {
                  for (int i = 0; i < 500; ++i)
                    PBGDPL_TRY(c.exec("INSERT INTO notes (n, s) VALUES (?, ?)", {int64_t{i}, std::string("bản sao lưu")}));
                  return {};
                }).ok());
  testing::TempDir out;
  auto file = out.str() + "/backup.db";
  auto st = db_->backup_to(file);
  if (pg()) {
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("pg_dump"), std::string::npos) << st.error().message;
    EXPECT_FALSE(std::filesystem::exists(file));
    return;
  }
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_FALSE(std::filesystem::exists(file + ".part"));
  auto copy = Database::open("sqlite:" + file, 1);
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  auto rows = (*copy)->read([](Conn& c) { return c.one("SELECT COUNT(*), MAX(s) FROM notes"); });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ((*rows)->i64(0), 500);
  EXPECT_EQ((*rows)->str(1), "bản sao lưu");

  // A destination that cannot be written is an error value, not an exception.
  Status bad;
  EXPECT_NO_THROW(bad = db_->backup_to(out.str()));  // a directory
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(std::filesystem::is_directory(out.path()));
  Status missing;
  EXPECT_NO_THROW(missing = db_->backup_to(out.str() + "/khong/co/thu-muc/x.db"));
  EXPECT_FALSE(missing.ok());
}

TEST(DbOpen, UnreachablePostgresIsUnavailableNotACrash) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  auto db = Database::open("postgresql://nobody@127.0.0.1:1/pbgdpl?connect_timeout=3", 2);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::Unavailable);
  EXPECT_NE(db.error().message.find("PostgreSQL"), std::string::npos);
}

TEST(DbOpen, SqliteInAPlaceThatCannotBeCreatedIsAnError) {
  auto db = Database::open("sqlite:/proc/pbgdpl-khong-co/du-lieu.db", 2);
  ASSERT_FALSE(db.ok());
  EXPECT_FALSE(db.error().message.empty());
  auto empty = Database::open("sqlite:", 2);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::Validation);
}

TEST(DbOpen, InMemorySqliteIsRefusedBecauseEachConnectionWouldSeeItsOwnDatabase) {
  // The writer and every reader are separate connections: with ":memory:" a committed
  // write would be invisible to read(). Refuse it with a clear message instead.
  for (const char* url : {"sqlite::memory:", ":memory:"}) {
    auto db = Database::open(url, 2);
    ASSERT_FALSE(db.ok()) << url;
    EXPECT_EQ(db.error().code, ErrorCode::Validation);
    EXPECT_NE(db.error().message.find(":memory:"), std::string::npos) << db.error().message;
  }
}

TEST(DbOpen, BarePathAndSqliteUrlOpenTheSameFile) {
  testing::TempDir dir;
  auto path = dir.str() + "/sub/dir/a.db";  // missing parents are created
  {
    auto db = Database::open(path, 1);
    ASSERT_TRUE(db.ok()) << db.error().message;
    EXPECT_EQ((*db)->backend(), Backend::Sqlite);
    ASSERT_TRUE((*db)->write([](Conn& c) { return c.exec_script("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);"); }).ok());
  }
  auto db = Database::open("sqlite:" + path, 1);
  ASSERT_TRUE(db.ok());
  auto r = (*db)->read([](Conn& c) { return c.one("SELECT x FROM t"); });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->i64(0), 7);
  EXPECT_EQ(backend_name(Backend::Sqlite), "sqlite");
  EXPECT_EQ(backend_name(Backend::Postgres), "postgresql");
}

}  // namespace
}  // namespace pbgdpl::storage
