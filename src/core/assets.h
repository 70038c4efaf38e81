#pragma once
// Files embedded into the binary at build time (templates, migrations, static assets).
// Names are virtual paths such as "accounts/templates/login.html".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbgdpl::core {

void register_asset(std::string_view name, std::string_view bytes);
/// The bytes of an embedded file, or nullopt.
std::optional<std::string_view> find_asset(std::string_view name);
/// Embedded names starting with prefix, sorted.
std::vector<std::string> list_assets(std::string_view prefix);

}  // namespace pbgdpl::core
