#include "http/router.h"

#include <algorithm>
#include <array>
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
  // Runs for every request: no allocation per candidate route. Captures are views into
  // `path` (or the rest of it) and become the params map only for the route that matches.
  Match m;
  std::array<std::string_view, 32> parts_buf;
  size_t nparts = 0;
  std::string_view rest_all = path;
  if (!rest_all.empty() && rest_all.front() == '/') rest_all.remove_prefix(1);
  {
    std::string_view p = rest_all;
    while (true) {
      auto slash = p.find('/');
      // Deeper than any fixed route: the last slot keeps the whole remainder, which only a
      // {rest*} route can match (its value is cut from the original path anyway).
      if (nparts == parts_buf.size() - 1) slash = std::string_view::npos;
      parts_buf[nparts++] = p.substr(0, slash);
      if (slash == std::string_view::npos) break;
      p.remove_prefix(slash + 1);
    }
  }
  std::string_view want = method == "HEAD" ? "GET" : method;
  struct Capture {
    const std::string* name;
    std::string_view value;
  };
  std::array<Capture, 8> caps;
  for (const auto& r : routes_) {
    size_t ncaps = 0;
    bool ok = true, rest = false;
    size_t i = 0;
    for (; i < r.segs.size() && ok; ++i) {
      const auto& s = r.segs[i];
      if (s.kind == Route::Seg::Rest) {
        if (i >= nparts) { ok = false; break; }
        // The rest of the path from segment i on, as one view into the original path.
        std::string_view first = parts_buf[i];
        size_t from = static_cast<size_t>(first.data() - rest_all.data());
        std::string_view tail = rest_all.substr(from);
        if (tail.empty()) { ok = false; break; }
        if (ncaps < caps.size()) caps[ncaps++] = {&s.text, tail};
        rest = true;
        break;
      }
      if (i >= nparts) { ok = false; break; }
      switch (s.kind) {
        case Route::Seg::Literal: ok = parts_buf[i] == s.text; break;
        case Route::Seg::Param: ok = !parts_buf[i].empty(); break;
        case Route::Seg::IntParam: ok = is_int(parts_buf[i]); break;
        default: break;
      }
      if (ok && s.kind != Route::Seg::Literal && ncaps < caps.size()) caps[ncaps++] = {&s.text, parts_buf[i]};
    }
    if (!ok) continue;
    if (!rest && i != nparts) continue;
    if (r.method == want) {
      m.route = &r;
      for (size_t c = 0; c < ncaps; ++c) m.params.emplace(*caps[c].name, std::string(caps[c].value));
      return m;
    }
    if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end()) m.allowed.push_back(r.method);
  }
  return m;
}

}  // namespace pbgdpl::http
