#include "core/config.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace pbgdpl::core
