#pragma once
// Structured one-line logs to stderr: `ts level msg key=value …`. Thread-safe.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace pbgdpl::core {

enum class LogLevel { Debug, Info, Warn, Error };
void set_log_level(std::string_view name);
bool log_enabled(LogLevel l);
void log_write(LogLevel l, std::string_view msg);

template <class... A>
void log_info(fmt::format_string<A...> f, A&&... a) {
  if (log_enabled(LogLevel::Info)) log_write(LogLevel::Info, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void log_warn(fmt::format_string<A...> f, A&&... a) {
  if (log_enabled(LogLevel::Warn)) log_write(LogLevel::Warn, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void log_error(fmt::format_string<A...> f, A&&... a) {
  if (log_enabled(LogLevel::Error)) log_write(LogLevel::Error, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void log_debug(fmt::format_string<A...> f, A&&... a) {
  if (log_enabled(LogLevel::Debug)) log_write(LogLevel::Debug, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace pbgdpl::core
