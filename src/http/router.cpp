#include "http/router.h"

#include <algorithm>
#include <stdexcept>

namespace pbgdpl::http {
namespace {
std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

void Router::add(std::string method, std::string pattern, Handler h, RouteOptions o) {
  Route r{std::move(method), pattern, std::move(h), o, {}};
  for (auto seg : split(pattern)) {
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      auto inner = seg.substr(1, seg.size() - 2);
      if (inner.ends_with("*")) {
        r.segs.push_back({Route::Seg::Rest, std::string(inner.substr(0, inner.size() - 1))});
      } else if (inner.ends_with(":int")) {
        r.segs.push_back({Route::Seg::IntParam, std::string(inner.substr(0, inner.size() - 4))});
      } else {
        r.segs.push_back({Route::Seg::Param, std::string(inner)});
      }
    } else {
      r.segs.push_back({Route::Seg::Literal, std::string(seg)});
    }
  }
  routes_.push_back(std::move(r));
}

Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  auto parts = split(path);
  std::string_view want = method == "HEAD" ? "GET" : method;
  for (const auto& r : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    bool ok = true;
    size_t i = 0;
    for (; i < r.segs.size() && ok; ++i) {
      const auto& s = r.segs[i];
      if (s.kind == Route::Seg::Rest) {
        if (i >= parts.size()) { ok = false; break; }
        std::string rest;
        for (size_t j = i; j < parts.size(); ++j) {
          if (j > i) rest += '/';
          rest.append(parts[j]);
        }
        if (rest.empty()) { ok = false; break; }
        params[s.text] = rest;
        i = parts.size();
        break;
      }
      if (i >= parts.size()) { ok = false; break; }
      switch (s.kind) {
        case Route::Seg::Literal: ok = parts[i] == s.text; break;
        case Route::Seg::Param: ok = !parts[i].empty(); if (ok) params[s.text] = std::string(parts[i]); break;
        case Route::Seg::IntParam: ok = is_int(parts[i]); if (ok) params[s.text] = std::string(parts[i]); break;
        default: break;
      }
    }
    if (!ok) continue;
    if (r.segs.empty() || r.segs.back().kind != Route::Seg::Rest) {
      if (i != parts.size()) continue;
    }
    if (r.method == want) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end()) m.allowed.push_back(r.method);
  }
  return m;
}

}  // namespace pbgdpl::http
