// Raw HTTP bytes → Beast's parser → parse_target → router → middleware → handler, through
// Server::handle_bytes (the connection's own steps, without a socket). Must never crash, and
// the answer must always be something a client can be sent.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/log.h"
#include "core/utf8.h"
#include "http/server.h"

namespace {

using namespace pbgdpl;

void check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
  }
}

struct World {
  http::Router router;
  std::unique_ptr<http::Server> server;

  World() {
    core::set_log_level("error");
    router.get("/", [](http::Request&) { return http::Response::html("<p>Trang chủ</p>"); });
    router.get("/van-ban/{slug}", [](http::Request& r) {
      return http::Response::html("<h1>" + http::html_escape(r.param("slug")) + "</h1>" +
                                  http::html_escape(r.query.get("q")));
    });
    router.get("/api/v1/orgs/{id:int}", [](http::Request& r) {
      return http::Response::json({{"id", r.param_int("id")}, {"q", r.query.get("q")}});
    });
    router.get("/static/{file*}", [](http::Request& r) {
      if (r.param("file").find("..") != std::string::npos) http::fail(core::ErrorCode::NotFound);
      return http::Response::text(std::string(2000, 'c'));  // large enough to be gzipped
    });
    router.post("/dang-nhap", [](http::Request& r) {
      auto f = http::unwrap(r.form());
      return http::Response::redirect("/?u=" + http::percent_encode(f.get("login")));
    });
    router.post("/api/v1/echo", [](http::Request& r) {
      auto j = http::unwrap(r.json());
      return http::Response::json({{"echo", j}}, 201);
    });
    router.post("/nhap", [](http::Request& r) { return http::Response::text(std::to_string(r.body.size())); },
                {4096, false, false});
    router.put("/api/v1/orgs/{id:int}", [](http::Request& r) -> http::Response {
      if (r.param_int("id") == 0) http::fail(core::ErrorCode::NotFound);
      http::fail(core::Error::of(core::ErrorCode::Validation, "Tên không hợp lệ.", "name"));
    });
    http::ServerOptions o;
    o.access_log = false;
    o.max_body = 2048;   // small limits so the fuzzer reaches them
    o.max_header = 4096;
    server = std::make_unique<http::Server>(o, router);
    // Like the accounts middleware: reads cookies, and the form for a CSRF field.
    server->use([](http::Request& req, const http::Route& route) -> std::optional<http::Response> {
      if (route.options.bare) return std::nullopt;
      (void)req.cookie("sid");
      if (req.method == "POST" && req.header("content-type").find("urlencoded") != std::string_view::npos) {
        auto f = req.form();
        if (f && f->get("_csrf") == "chan") return http::Response::text("csrf", 403);
      }
      return std::nullopt;
    });
    server->on_error([](const http::Request& req, const core::Error& e) {
      return http::Response::html("<html lang=\"vi\"><p>" + http::html_escape(e.message) + "</p><p>" +
                                  http::html_escape(req.target) + "</p></html>");
    });
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World w;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto res = w.server->handle_bytes(raw);
  check(res.status >= 200 && res.status <= 599, "status in 200..599");
  check(!res.header("x-request-id").empty(), "every response has a request id");
  check(!res.header("content-security-policy").empty(), "every response has a CSP");
  for (const auto& [k, v] : res.headers)
    check(k.find_first_of("\r\n") == std::string::npos && v.find_first_of("\r\n") == std::string::npos,
          "no CR/LF in response headers");
  if (res.status >= 500) {
    fprintf(stderr, "5xx for input of %zu bytes: %s\n", size, res.body.c_str());
    abort();  // no input may make the server fail
  }
  if (res.content_type == "application/json" && res.header("content-encoding").empty()) {
    check(!nlohmann::json::parse(res.body, nullptr, false).is_discarded(), "JSON responses parse");
  }
  if (res.header("content-encoding").empty() && res.content_type.find("text/") == 0)
    check(pbgdpl::core::utf8_valid(res.body) || res.status >= 400, "text bodies are UTF-8");
  return 0;
}
