#include "core/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "support.h"

namespace pbgdpl::core {
namespace {

TEST(Config, DefaultDatabaseIsSqliteUnderDataDir) {
  Config c;
  c.data_dir = "/srv/pbgdpl";
  EXPECT_EQ(c.database_url(), "sqlite:/srv/pbgdpl/pbgdpl.db");
  EXPECT_FALSE(c.is_postgres());
  c.database = "postgresql://app@db/pbgdpl";
  EXPECT_TRUE(c.is_postgres());
}

TEST(Config, FileThenEnvThenExplicitSet) {
  testing::TempDir dir;
  auto file = dir.str() + "/pbgdpl.conf";
  std::ofstream(file) << "# comment\nlisten = 0.0.0.0:9000\nthreads = 3\n";
  Config c;
  ASSERT_TRUE(c.load_file(file).ok());
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.threads, 3);
  setenv("PBGDPL_THREADS", "5", 1);
  ASSERT_TRUE(c.load_env().ok());
  unsetenv("PBGDPL_THREADS");
  EXPECT_EQ(c.threads, 5);
  ASSERT_TRUE(c.set("threads", "7").ok());
  EXPECT_EQ(c.threads, 7);
}

TEST(Config, BadValuesAreRejectedWithVietnameseMessages) {
  testing::TempDir dir;
  auto file = dir.str() + "/bad.conf";
  std::ofstream(file) << "threads = nhiều\n";
  Config c;
  auto st = c.load_file(file);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find(":1:"), std::string::npos);
  EXPECT_NE(st.error().message.find("số nguyên"), std::string::npos);
  EXPECT_FALSE(c.set("no_such_key", "1").ok());
  EXPECT_FALSE(c.set("trust_proxy", "maybe").ok());
}

TEST(Config, HashInsideAValueIsNotAComment) {
  // Database passwords and URL fragments contain '#'; only a '#' at the start of a line
  // or after whitespace starts a comment.
  testing::TempDir dir;
  auto file = dir.str() + "/pbgdpl.conf";
  std::ofstream(file) << "database = postgresql://pbgdpl:Abc#123@db/pbgdpl  # máy chủ chính\n"
                         "   # cả dòng là ghi chú\n"
                         "public_url = https://pbgdpl.example.vn/#top\n"
                         "listen = 0.0.0.0:8080# dính liền vẫn là giá trị\n";
  Config c;
  auto st = c.load_file(file);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(c.database, "postgresql://pbgdpl:Abc#123@db/pbgdpl");
  EXPECT_EQ(c.public_url, "https://pbgdpl.example.vn/#top");
  EXPECT_EQ(c.listen, "0.0.0.0:8080# dính liền vẫn là giá trị");
}

TEST(Config, NumbersOutOfRangeAreRejected) {
  Config c;
  auto st = c.set("threads", "99999999999");
  ASSERT_FALSE(st.ok()) << "threads became " << c.threads;
  EXPECT_NE(st.error().message.find("threads"), std::string::npos);
  EXPECT_EQ(c.threads, 0);
  EXPECT_FALSE(c.set("smtp_port", "-1").ok());
  EXPECT_FALSE(c.set("workers", "").ok());
  EXPECT_TRUE(c.set("max_body", "10485760").ok());
  EXPECT_EQ(c.max_body, 10485760u);
}

TEST(Config, KeysAreListedAndAcceptDashesAndCase) {
  auto keys = Config::keys();
  EXPECT_NE(std::find(keys.begin(), keys.end(), "db_pool"), keys.end());
  Config c;
  ASSERT_TRUE(c.set("DB-Pool", "3").ok());
  EXPECT_EQ(c.db_pool, 3u);
}

}  // namespace
}  // namespace pbgdpl::core
