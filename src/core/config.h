#pragma once
// Configuration: defaults < config file < PBGDPL_* environment variables < command-line flags.
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace pbgdpl::core {

struct Config {
  std::string data_dir = "var";
  std::string database;  ///< empty: SQLite file <data_dir>/pbgdpl.db; or postgresql://…
  std::string listen = "127.0.0.1:8080";
  int threads = 0;        ///< HTTP threads; 0 = one per core
  int workers = 2;        ///< in-process job workers; 0 disables them (use `pbgdpl worker`)
  size_t db_pool = 8;     ///< read connections (PostgreSQL: all connections)
  size_t max_body = 1 << 20;
  size_t max_header = 16 << 10;
  int read_timeout_s = 15;
  int idle_timeout_s = 60;
  int shutdown_grace_s = 10;
  int session_idle_min = 120;
  int session_absolute_h = 24 * 7;
  std::string public_url = "http://127.0.0.1:8080";
  bool trust_proxy = false;   ///< honour X-Forwarded-For / X-Forwarded-Proto from nginx
  std::string mail_sender = "log";  ///< log | smtp
  std::string smtp_host = "127.0.0.1";
  int smtp_port = 25;
  std::string mail_from = "pbgdpl@localhost";
  std::string log_level = "info";
  bool access_log = true;

  /// The database URL after defaults: sqlite:PATH or postgresql://…
  std::string database_url() const;
  bool is_postgres() const;

  /// Applies one key (file/env spelling, e.g. "listen", "db_pool").
  Status set(const std::string& key, const std::string& value);
  /// Reads `key = value` lines; '#' at the start of a line or after whitespace starts a
  /// comment ("pass#word" inside a value is kept).
  Status load_file(const std::string& path);
  /// Applies PBGDPL_<KEY> environment variables.
  Status load_env();
  /// Keys this config understands, for --help and docs.
  static std::vector<std::string> keys();
};

}  // namespace pbgdpl::core
