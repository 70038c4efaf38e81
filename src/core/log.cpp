#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "core/time.h"

namespace pbgdpl::core {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::Info)};
std::mutex g_mu;
}  // namespace

void set_log_level(std::string_view n) {
  LogLevel l = LogLevel::Info;
  if (n == "debug") l = LogLevel::Debug;
  else if (n == "warn") l = LogLevel::Warn;
  else if (n == "error") l = LogLevel::Error;
  g_level = static_cast<int>(l);
}

bool log_enabled(LogLevel l) { return static_cast<int>(l) >= g_level.load(std::memory_order_relaxed); }

void log_write(LogLevel l, std::string_view msg) {
  static const char* names[] = {"debug", "info", "warn", "error"};
  auto line = fmt::format("{} {} {}\n", iso8601(now_ms()), names[static_cast<int>(l)], msg);
  std::lock_guard lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace pbgdpl::core
