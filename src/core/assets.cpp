#include "core/assets.h"

#include <map>
#include <mutex>

namespace pbgdpl::core {
namespace {
struct Table {
  std::mutex mu;
  std::map<std::string, std::string_view, std::less<>> files;
};
Table& table() {
  static Table t;
  return t;
}
}  // namespace

void register_asset(std::string_view name, std::string_view bytes) {
  auto& t = table();
  std::lock_guard lock(t.mu);
  t.files[std::string(name)] = bytes;
}

std::optional<std::string_view> find_asset(std::string_view name) {
  auto& t = table();
  std::lock_guard lock(t.mu);
  auto it = t.files.find(name);
  if (it == t.files.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> list_assets(std::string_view prefix) {
  auto& t = table();
  std::lock_guard lock(t.mu);
  std::vector<std::string> out;
  for (auto it = t.files.lower_bound(prefix); it != t.files.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(it->first);
  }
  return out;
}

}  // namespace pbgdpl::core
