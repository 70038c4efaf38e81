#pragma once
// Router: method + path pattern → handler. Patterns use typed parameters:
//   /van-ban/{slug}         one path segment
//   /api/v1/orgs/{id:int}   digits only (fits int64), else the route does not match
//   /static/{path*}         the rest of the path
// A path that matches with another method answers 405 with Allow; HEAD uses GET.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace pbgdpl::http {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  size_t max_body = 0;      ///< 0 = server default
  bool csrf_exempt = false; ///< e.g. JSON endpoints used only with API tokens
  bool bare = false;        ///< no session or CSRF work at all (health, metrics, static files)
  /// Anonymous GETs of this route may be answered from the server's page cache for up to
  /// this many seconds (0 = never). Only for pages that are the same for every anonymous
  /// visitor; see Server::cache_key.
  int anon_cache_s = 0;
  /// A write that changes no cached public page (an autosave, a contest submission, a
  /// rating): answering it leaves the page cache alone. Other writes empty it.
  bool keeps_pages = false;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  struct Seg {
    enum Kind { Literal, Param, IntParam, Rest } kind;
    std::string text;  // literal text or param name
  };
  std::vector<Seg> segs;
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  std::vector<std::string> allowed;  ///< when the path matched but the method did not
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler h, RouteOptions o = {});
  void get(std::string p, Handler h, RouteOptions o = {}) { add("GET", std::move(p), std::move(h), o); }
  void post(std::string p, Handler h, RouteOptions o = {}) { add("POST", std::move(p), std::move(h), o); }
  void put(std::string p, Handler h, RouteOptions o = {}) { add("PUT", std::move(p), std::move(h), o); }
  void del(std::string p, Handler h, RouteOptions o = {}) { add("DELETE", std::move(p), std::move(h), o); }
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace pbgdpl::http
