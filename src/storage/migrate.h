#pragma once
// Versioned, forward-only migrations per module, recorded in `schema_migrations`.
// Files are embedded as "<module>/migrations/NNNN_name.sql" (both backends) or
// "NNNN_name.sqlite.sql" / "NNNN_name.postgres.sql" (one backend). Tokens: {{pk}} is the
// auto-increment primary key, {{blob}} the binary type.
#include <functional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace pbgdpl::storage {

struct Migration {
  std::string module;
  int version = 0;
  std::string name;
  std::string sql;       ///< after token substitution
  std::string checksum;  ///< sha256 of sql
};

/// Migrations embedded for these modules, in module order then version order.
Result<std::vector<Migration>> embedded_migrations(Backend b, const std::vector<std::string>& modules);

/// Applies what is missing, each migration in its own transaction. Refuses to run when an
/// applied migration's text changed (forward-only). Returns how many were applied.
Result<int> migrate(Database& db, const std::vector<std::string>& modules,
                    const std::function<void(const Migration&)>& on_apply = {});

/// Number of migrations embedded but not applied (0 = schema up to date).
Result<int> pending_migrations(Database& db, const std::vector<std::string>& modules);

/// Registers storage's own embedded files (called by open paths; idempotent).
void register_storage_assets();

}  // namespace pbgdpl::storage
