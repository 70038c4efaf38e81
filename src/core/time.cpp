#include "core/time.h"

#include <chrono>
#include <ctime>

namespace pbgdpl::core {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t mono_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {
std::tm utc_tm(int64_t ms) {
  // Floor, not truncate: -1 ms is 23:59:59 on the day before the epoch (old legal texts
  // carry dates long before 1970).
  int64_t secs = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string iso8601(int64_t ms) {
  std::tm tm = utc_tm(ms);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string vn_datetime(int64_t ms) {
  std::tm tm = utc_tm(ms + 7LL * 3600 * 1000);  // Vietnam has no DST
  char buf[32];
  std::strftime(buf, sizeof buf, "%d/%m/%Y %H:%M", &tm);
  return buf;
}

}  // namespace pbgdpl::core
