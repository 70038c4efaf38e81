#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace pbgdpl::core {
namespace {

constexpr int64_t kHour = 3600LL * 1000;

TEST(Time, Iso8601IsUtc) {
  EXPECT_EQ(iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso8601(1795325400000), "2026-11-22T05:30:00Z");
  EXPECT_EQ(iso8601(1795325400999), "2026-11-22T05:30:00Z");  // milliseconds are dropped
}

TEST(Time, VnDatetimeIsUtcPlusSeven) {
  EXPECT_EQ(vn_datetime(1795325400000), "22/11/2026 12:30");
  EXPECT_EQ(vn_datetime(0), "01/01/1970 07:00");
  // 17:00 UTC on New Year's Eve is already the next year in Hà Nội.
  EXPECT_EQ(vn_datetime(1735664400000), "01/01/2025 00:00");
  EXPECT_EQ(vn_datetime(1735664400000 - 1), "31/12/2024 23:59");
}

TEST(Time, VnDatetimeDoesNotDependOnTheMachineTimeZone) {
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "America/New_York", 1);
  tzset();
  auto ny = vn_datetime(1795325400000);
  if (old) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
  tzset();
  EXPECT_EQ(ny, "22/11/2026 12:30");
}

TEST(Time, DatesBefore1970RoundDownNotUp) {
  // Hiến pháp 1946 was adopted on 09/11/1946; legal texts older than the epoch are common.
  EXPECT_EQ(iso8601(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(iso8601(-1000), "1969-12-31T23:59:59Z");
  EXPECT_EQ(iso8601(-1001), "1969-12-31T23:59:58Z");
  EXPECT_EQ(vn_datetime(-730425600000 - 7 * kHour), "09/11/1946 00:00");
  EXPECT_EQ(vn_datetime(-7 * kHour - 1), "31/12/1969 23:59");
}

TEST(Time, ClocksMoveForward) {
  auto a = now_ms();
  auto m = mono_ns();
  EXPECT_GT(a, 1700000000000);  // after 2023
  EXPECT_LE(m, mono_ns());
}

}  // namespace
}  // namespace pbgdpl::core
