#pragma once
// Internal: constructors of the two backends (not part of the public storage API).
#include <memory>
#include <string>

#include "storage/db.h"

namespace pbgdpl::storage {
Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, size_t pool);
Result<std::unique_ptr<Database>> open_postgres(const std::string& url, size_t pool);
/// Rewrites `?` placeholders to $1..$n, leaving quoted text and comments alone.
std::string rewrite_placeholders(std::string_view sql);
}  // namespace pbgdpl::storage
