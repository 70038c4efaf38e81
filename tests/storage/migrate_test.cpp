#include "storage/migrate.h"

#include <gtest/gtest.h>

#include "core/assets.h"
#include "fixture.h"

namespace pbgdpl::storage {
namespace {

// Test modules register their migration files in the process-wide asset table, as the
// build's embed step does for real modules. Each test uses its own module name and
// (re)registers its files first, so the two backend instantiations see the same files.
void files(const std::string& module, std::initializer_list<std::pair<const char*, const char*>> list) {
  for (const auto& [name, sql] : list) core::register_asset(module + "/migrations/" + name, sql);
}

class Migrate : public BackendTest {
 protected:
  /// A module name of this test and backend (assets cannot be unregistered).
  std::string mod(const std::string& base) const { return base + "_" + GetParam(); }
  Result<std::vector<std::string>> applied(const std::string& module) {
    return db_->read([&](Conn& c) -> Result<std::vector<std::string>> {
      auto rows = c.query("SELECT version, name, checksum, applied_at FROM schema_migrations WHERE module = ? ORDER BY version",
                          {module});
      if (!rows) return rows.take_error();
      std::vector<std::string> out;
      for (const auto& r : *rows) {
        EXPECT_EQ(r.str(2).size(), 64u) << "checksum is a sha256 hex";
        EXPECT_GT(r.i64(3), 0);
        out.push_back(std::to_string(r.i64(0)) + ":" + r.str(1));
      }
      return out;
    });
  }
  bool table_exists(const std::string& table) {
    auto r = db_->read([&](Conn& c) {
      return c.one(pg() ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?"
                        : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                   {table});
    });
    EXPECT_TRUE(r.ok());
    return r.ok() && (*r)->i64(0) == 1;
  }
};
PBGDPL_BACKEND_SUITE(Migrate);

TEST_P(Migrate, AppliedOnceRecordedAndIdempotent) {
  files(mod("t_once"), {{"0001_books.sql", "CREATE TABLE t_once_books (id {{pk}}, title TEXT NOT NULL, cover {{blob}});"},
                   {"0002_index.sql", "CREATE INDEX t_once_books_title ON t_once_books (title);"}});
  auto pending = pending_migrations(*db_, {"storage", mod("t_once")});
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_EQ(*pending, 3);  // storage's own 0001_core plus the two above

  std::vector<std::string> seen;
  auto n = migrate(*db_, {"storage", mod("t_once")}, [&](const Migration& m) { seen.push_back(m.module + "/" + m.name); });
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"storage/0001_core.sql", mod("t_once") + "/0001_books.sql", mod("t_once") + "/0002_index.sql"}));
  auto rec = applied(mod("t_once"));
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  EXPECT_EQ(*rec, (std::vector<std::string>{"1:0001_books.sql", "2:0002_index.sql"}));

  // {{pk}} became an auto-increment key on this backend.
  auto id = db_->write([](Conn& c) { return c.one("INSERT INTO t_once_books (title) VALUES ('Sổ tay') RETURNING id"); });
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ((*id)->i64(0), 1);

  auto again = migrate(*db_, {"storage", mod("t_once")});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, 0);
  auto p2 = pending_migrations(*db_, {"storage", mod("t_once")});
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(*p2, 0);
  EXPECT_EQ(count("t_once_books"), 1);  // nothing was re-created
}

TEST_P(Migrate, BackendSpecificFilesAreChosenForTheirBackend) {
  files(mod("t_specific"),
        {{"0001_kind.sql", "CREATE TABLE t_kind (name TEXT); INSERT INTO t_kind VALUES ('generic');"},
         {"0001_kind.sqlite.sql", "CREATE TABLE t_kind (name TEXT); INSERT INTO t_kind VALUES ('sqlite');"},
         {"0001_kind.postgres.sql", "CREATE TABLE t_kind (name TEXT); INSERT INTO t_kind VALUES ('postgres');"},
         {"0002_only_pg.postgres.sql", "CREATE TABLE t_only_pg (x BIGINT);"},
         {"0003_both.sql", "CREATE TABLE t_both (x BIGINT);"}});
  auto list = embedded_migrations(db_->backend(), {mod("t_specific")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  std::vector<std::string> names;
  for (const auto& m : *list) names.push_back(m.name);
  if (pg()) {
    EXPECT_EQ(names, (std::vector<std::string>{"0001_kind.postgres.sql", "0002_only_pg.postgres.sql", "0003_both.sql"}));
  } else {
    EXPECT_EQ(names, (std::vector<std::string>{"0001_kind.sqlite.sql", "0003_both.sql"}));
  }
  auto n = migrate(*db_, {mod("t_specific")});
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, pg() ? 3 : 2);
  auto kind = db_->read([](Conn& c) { return c.query("SELECT name FROM t_kind"); });
  ASSERT_TRUE(kind.ok());
  ASSERT_EQ(kind->size(), 1u);
  EXPECT_EQ((*kind)[0].str(0), pg() ? "postgres" : "sqlite");
  EXPECT_EQ(table_exists("t_only_pg"), pg());
  EXPECT_TRUE(table_exists("t_both"));
}

TEST_P(Migrate, AnEditedAppliedMigrationIsRefusedInVietnamese) {
  files(mod("t_edit"), {{"0001_a.sql", "CREATE TABLE t_edit_a (x BIGINT);"}});
  ASSERT_TRUE(migrate(*db_, {mod("t_edit")}).ok());
  files(mod("t_edit"), {{"0001_a.sql", "CREATE TABLE t_edit_a (x BIGINT, y TEXT);"},
                   {"0002_b.sql", "CREATE TABLE t_edit_b (x BIGINT);"}});
  auto n = migrate(*db_, {mod("t_edit")});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, ErrorCode::Conflict);
  const auto& msg = n.error().message;
  EXPECT_NE(msg.find(mod("t_edit") + "/0001_a.sql"), std::string::npos) << msg;
  EXPECT_NE(msg.find("đã bị sửa"), std::string::npos) << msg;
  EXPECT_NE(msg.find("migration mới"), std::string::npos) << msg;
  // Nothing after the refused one ran.
  EXPECT_FALSE(table_exists("t_edit_b"));
  auto rec = applied(mod("t_edit"));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(*rec, (std::vector<std::string>{"1:0001_a.sql"}));
}

TEST_P(Migrate, AFailingMigrationLeavesNoTraceAndCanBeFixed) {
  files(mod("t_fail"), {{"0001_ok.sql", "CREATE TABLE t_fail_ok (x BIGINT);"},
                   {"0002_bad.sql", "CREATE TABLE t_fail_half (x BIGINT); INSERT INTO t_fail_ok VALUES (1); "
                                    "CREATE TABLE t_fail_ok (x BIGINT);"}});
  auto n = migrate(*db_, {mod("t_fail")});
  ASSERT_FALSE(n.ok());
  EXPECT_FALSE(table_exists("t_fail_half"));  // the first statement of 0002 was rolled back too
  EXPECT_EQ(count("t_fail_ok"), 0);
  auto rec = applied(mod("t_fail"));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(*rec, (std::vector<std::string>{"1:0001_ok.sql"}));

  files(mod("t_fail"), {{"0002_bad.sql", "CREATE TABLE t_fail_half (x BIGINT); INSERT INTO t_fail_ok VALUES (1);"}});
  auto fixed = migrate(*db_, {mod("t_fail")});
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(*fixed, 1);
  EXPECT_EQ(count("t_fail_ok"), 1);
}

TEST_P(Migrate, TwoFilesWithTheSameVersionAreAnError) {
  files(mod("t_dup"), {{"0001_a.sql", "CREATE TABLE t_dup_a (x BIGINT);"},
                  {"0001_b.sql", "CREATE TABLE t_dup_b (x BIGINT);"}});
  auto list = embedded_migrations(db_->backend(), {mod("t_dup")});
  ASSERT_FALSE(list.ok()) << "0001_b.sql would be silently skipped";
  EXPECT_NE(list.error().message.find("0001_a.sql"), std::string::npos) << list.error().message;
  EXPECT_NE(list.error().message.find("0001_b.sql"), std::string::npos) << list.error().message;
  auto n = migrate(*db_, {mod("t_dup")});
  EXPECT_FALSE(n.ok());
  EXPECT_FALSE(table_exists("t_dup_a"));
}

TEST_P(Migrate, ABadFileNameIsAnError) {
  files(mod("t_badname"), {{"abcd_x.sql", "SELECT 1;"}});
  auto list = embedded_migrations(db_->backend(), {mod("t_badname")});
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().message.find("abcd_x.sql"), std::string::npos);
}

TEST_P(Migrate, StorageOwnTablesAreCreated) {
  auto n = migrate(*db_, {"storage"});
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 1);
  EXPECT_TRUE(table_exists("jobs"));
  EXPECT_TRUE(table_exists("settings"));
}

}  // namespace
}  // namespace pbgdpl::storage
