#pragma once
#include <cstdint>
#include <string>

namespace pbgdpl::core {

/// Wall-clock milliseconds since the Unix epoch (what the database stores).
int64_t now_ms();
/// Monotonic nanoseconds, for latency measurement.
int64_t mono_ns();
/// "2026-11-22T05:30:00Z"
std::string iso8601(int64_t ms);
/// Vietnamese display form in Asia/Ho_Chi_Minh (UTC+7): "22/11/2026 12:30"
std::string vn_datetime(int64_t ms);

}  // namespace pbgdpl::core
