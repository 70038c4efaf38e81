// The OpenAPI document (docs/api/openapi.yaml) is the API's contract. These tests keep it
// true: every /api/v1 route the server registers is documented with the same method and
// nothing else is; the error enum is the error registry; every operation lists the error
// statuses it can answer; the server serves the file byte for byte; and real responses on
// both backends have documented statuses and bodies that match the documented schemas.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "support.h"

namespace pbgdpl::api {
namespace {

using nlohmann::json;

const char* const kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string spec_path() {
  return std::string(PBGDPL_SOURCE_DIR) + "/docs/api/openapi.yaml";
}

std::string spec_bytes() {
  std::ifstream in(spec_path(), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const YAML::Node& spec() {
  static const YAML::Node root = YAML::LoadFile(spec_path());
  return root;
}

/// "{id:int}" → "{id}", "{path*}" → "{path}": router patterns in OpenAPI spelling.
std::string openapi_path(const std::string& pattern) {
  static const std::regex param(R"(\{([A-Za-z_][A-Za-z0-9_]*)(:int|\*)\})");
  return std::regex_replace(pattern, param, "{$1}");
}

/// The routes the contract covers: the JSON API plus /healthz and /metrics.
bool documented_route(const std::string& pattern) {
  return pattern.rfind("/api/v1/", 0) == 0 || pattern == "/healthz" || pattern == "/metrics";
}

/// A $ref like "#/components/responses/Unauthorized" resolved against the document.
YAML::Node resolve(const YAML::Node& n) {
  if (!n.IsMap() || !n["$ref"]) return n;
  auto ref = n["$ref"].as<std::string>();
  EXPECT_EQ(ref.rfind("#/", 0), 0u) << ref;
  YAML::Node cur = YAML::Clone(spec());
  std::stringstream ss(ref.substr(2));
  std::string part;
  while (std::getline(ss, part, '/')) {
    YAML::Node next = cur[part];
    if (!next) {
      ADD_FAILURE() << "dangling $ref " << ref;
      return YAML::Node();
    }
    cur.reset(next);
  }
  return resolve(cur);
}

struct Operation {
  std::string method;  // lower-case
  std::string path;
  YAML::Node op;
};

std::vector<Operation> operations() {
  std::vector<Operation> out;
  for (const auto& p : spec()["paths"])
    for (const char* m : kMethods)
      if (p.second[m]) out.push_back({m, p.first.as<std::string>(), p.second[m]});
  return out;
}

std::set<int> statuses(const YAML::Node& op) {
  std::set<int> s;
  for (const auto& r : op["responses"]) {
    auto k = r.first.as<std::string>();
    if (k != "default") s.insert(std::stoi(k));
  }
  return s;
}

bool has_security(const YAML::Node& op, const std::string& scheme) {
  for (const auto& req : op["security"])
    if (req[scheme]) return true;
  return false;
}

bool security_optional(const YAML::Node& op) {
  for (const auto& req : op["security"])
    if (req.IsMap() && req.size() == 0) return true;
  return false;
}

// ---- a small JSON-schema check (the subset of OpenAPI 3.0 schemas this spec uses) ---------

void check_schema(const YAML::Node& schema_in, const json& v, const std::string& at, std::vector<std::string>& errs) {
  const YAML::Node s = resolve(schema_in);
  if (v.is_null()) {
    if (s["type"] && !(s["nullable"] && s["nullable"].as<bool>())) errs.push_back(at + ": null but not nullable");
    return;
  }
  if (!s["type"]) return;
  auto type = s["type"].as<std::string>();
  if (type == "object") {
    if (!v.is_object()) return errs.push_back(at + ": expected an object, got " + v.dump());
    for (const auto& r : s["required"]) {
      auto k = r.as<std::string>();
      if (!v.contains(k)) errs.push_back(at + ": missing required '" + k + "'");
    }
    const YAML::Node props = s["properties"];
    for (const auto& [k, val] : v.items()) {
      const YAML::Node extra = s["additionalProperties"];
      if (props && props[k]) {
        check_schema(props[k], val, at + "." + k, errs);
      } else if (extra && extra.IsMap()) {
        check_schema(extra, val, at + "." + k, errs);
      } else if (extra && !extra.as<bool>()) {
        errs.push_back(at + ": property '" + k + "' is not in the schema");
      }
    }
  } else if (type == "array") {
    if (!v.is_array()) return errs.push_back(at + ": expected an array");
    for (size_t i = 0; i < v.size(); ++i) check_schema(s["items"], v[i], at + "[" + std::to_string(i) + "]", errs);
  } else if (type == "string") {
    if (!v.is_string()) return errs.push_back(at + ": expected a string, got " + v.dump());
    if (s["enum"]) {
      bool found = false;
      for (const auto& e : s["enum"]) found |= e.as<std::string>() == v.get<std::string>();
      if (!found) errs.push_back(at + ": '" + v.get<std::string>() + "' is not in the enum");
    }
  } else if (type == "integer") {
    if (!v.is_number_integer()) errs.push_back(at + ": expected an integer, got " + v.dump());
  } else if (type == "boolean") {
    if (!v.is_boolean()) errs.push_back(at + ": expected a boolean, got " + v.dump());
  } else if (type == "number") {
    if (!v.is_number()) errs.push_back(at + ": expected a number, got " + v.dump());
  }
}

// ---- the document itself ---------------------------------------------------------------

TEST(OpenApi, IsOpenApi30WithInfoAndPaths) {
  const auto& s = spec();
  ASSERT_TRUE(s.IsMap());
  EXPECT_EQ(s["openapi"].as<std::string>().rfind("3.0.", 0), 0u);
  EXPECT_FALSE(s["info"]["title"].as<std::string>().empty());
  EXPECT_FALSE(s["info"]["version"].as<std::string>().empty());
  ASSERT_TRUE(s["paths"].IsMap());
  EXPECT_GT(s["paths"].size(), 0u);
  for (const char* scheme : {"bearerToken", "sessionCookie", "csrfHeader"})
    EXPECT_TRUE(s["components"]["securitySchemes"][scheme]) << scheme;
  EXPECT_EQ(s["components"]["securitySchemes"]["csrfHeader"]["name"].as<std::string>(), "X-CSRF-Token");
  EXPECT_EQ(s["components"]["securitySchemes"]["sessionCookie"]["name"].as<std::string>(), "sid");
}

TEST(OpenApi, DocumentsExactlyTheRegisteredRoutes) {
  testing::TestServer server;  // make_server() adds /metrics, so use a whole server
  std::set<std::pair<std::string, std::string>> registered, documented;
  for (const auto& r : server.app().router.routes()) {
    if (!documented_route(r.pattern)) continue;
    std::string m = r.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    registered.insert({m, openapi_path(r.pattern)});
  }
  for (const auto& o : operations()) documented.insert({o.method, o.path});
  for (const auto& r : registered)
    EXPECT_TRUE(documented.count(r)) << "route not in docs/api/openapi.yaml: " << r.first << " " << r.second;
  for (const auto& d : documented)
    EXPECT_TRUE(registered.count(d)) << "documented but not registered: " << d.first << " " << d.second;
  EXPECT_GE(registered.size(), 9u);
}

TEST(OpenApi, ErrorCodeEnumIsTheRegistry) {
  std::set<std::string> registry, documented;
  for (auto c : core::all_error_codes()) registry.insert(std::string(core::error_wire(c)));
  for (const auto& e : spec()["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"])
    documented.insert(e.as<std::string>());
  EXPECT_EQ(registry, documented);
}

TEST(OpenApi, OperationsListTheErrorsTheyCanReturn) {
  // What routes.cpp and the auth middleware can answer, beyond the generic rules below.
  const std::map<std::string, std::set<int>> specific = {
      {"getMe", {401}},
      {"listOrgs", {400}},
      {"createOrg", {403, 409, 422}},
      {"listUsers", {400, 403}},
      {"createUser", {403, 409, 422}},
      {"listAudit", {400, 403}},
      {"createToken", {422}},
      {"getOpenApi", {404}},
      {"search", {422}},
      {"listLawDocuments", {422}},
      {"getLawDocument", {404, 422}},
      {"healthz", {503}},
  };
  std::set<std::string> seen;
  for (const auto& o : operations()) {
    SCOPED_TRACE(o.method + " " + o.path);
    ASSERT_TRUE(o.op["operationId"]);
    auto id = o.op["operationId"].as<std::string>();
    EXPECT_TRUE(seen.insert(id).second) << "duplicate operationId " << id;
    ASSERT_TRUE(o.op["responses"] && o.op["responses"].IsMap() && o.op["responses"].size() > 0);
    ASSERT_TRUE(o.op["security"]) << "every operation states its security, even when it is none";
    auto st = statuses(o.op);
    bool has_success = false;
    for (int s : st) has_success |= s >= 200 && s < 300;
    EXPECT_TRUE(has_success);
    if (auto it = specific.find(id); it != specific.end()) {
      for (int s : it->second) EXPECT_TRUE(st.count(s)) << id << " must document " << s;
    }

    if (o.path.rfind("/api/v1/", 0) != 0) continue;
    // Every API request passes the target checks (400) and the auth middleware, which
    // rejects a bad Authorization header (401) even on public endpoints; handlers can fail.
    for (int s : {400, 401, 500}) EXPECT_TRUE(st.count(s)) << "missing " << s;
    if (o.path != "/api/v1/openapi.yaml") {
      EXPECT_TRUE(st.count(503)) << "database errors: 503";
    }
    if (o.op["parameters"]) {
      EXPECT_TRUE(st.count(400)) << "bad parameters: 400";
    }
    bool unsafe = o.method != "get" && o.method != "head" && o.method != "options";
    if (o.op["requestBody"]) {
      for (int s : {400, 413, 415, 422}) EXPECT_TRUE(st.count(s)) << "a JSON body can fail with " << s;
    }
    if (unsafe && has_security(o.op, "sessionCookie")) {
      EXPECT_TRUE(st.count(403)) << "csrf_failed";
      for (const auto& req : o.op["security"])
        if (req["sessionCookie"]) {
          EXPECT_TRUE(req["csrfHeader"]) << "session + unsafe method needs X-CSRF-Token";
        }
    }
    if (!security_optional(o.op)) {
      EXPECT_TRUE(st.count(401));
    }
    // Error answers are the shared JSON error shape, and their example code has that status.
    for (const auto& r : o.op["responses"]) {
      int code = std::stoi(r.first.as<std::string>());
      if (code < 400) continue;
      auto resp = resolve(r.second);
      auto media = resp["content"]["application/json"];
      ASSERT_TRUE(media) << code << " must be application/json";
      EXPECT_EQ(media["schema"]["$ref"].as<std::string>(), "#/components/schemas/Error") << code;
      ASSERT_TRUE(media["example"]) << code << " needs an example";
      auto ex = media["example"]["error"]["code"].as<std::string>();
      bool known = false;
      for (auto c : core::all_error_codes())
        if (core::error_wire(c) == ex) {
          known = true;
          EXPECT_EQ(core::error_status(c), code) << "example code " << ex << " is not a " << code;
        }
      EXPECT_TRUE(known) << ex;
    }
  }
}

TEST(OpenApi, PaginatedListsUseCursorAndLimit) {
  for (const auto& o : operations()) {
    auto id = o.op["operationId"].as<std::string>();
    if (id.rfind("list", 0) != 0) continue;
    SCOPED_TRACE(id);
    std::set<std::string> params;
    for (const auto& p : o.op["parameters"]) params.insert(resolve(p)["name"].as<std::string>());
    EXPECT_TRUE(params.count("cursor"));
    EXPECT_TRUE(params.count("limit"));
    for (const auto& p : o.op["parameters"]) {
      auto r = resolve(p);
      if (r["name"].as<std::string>() != "limit") continue;
      EXPECT_EQ(r["schema"]["minimum"].as<int>(), 1);
      EXPECT_LE(r["schema"]["maximum"].as<int>(), 200);
      EXPECT_TRUE(r["schema"]["default"]);
    }
    auto page = resolve(o.op["responses"]["200"]["content"]["application/json"]["schema"]);
    EXPECT_TRUE(page["properties"]["next_cursor"]["nullable"].as<bool>());
    EXPECT_TRUE(page["properties"]["items"]);
  }
}

TEST(OpenApi, ServedOverHttpByteForByte) {
  testing::TestServer server;
  auto r = testing::raw_request(server.port(),
                                "GET /api/v1/openapi.yaml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").rfind("application/yaml", 0), 0u) << r.header("content-type");
  EXPECT_EQ(r.body, spec_bytes());
}

// ---- live responses against the document, on both backends ----------------------------

class LiveApi : public ::testing::TestWithParam<std::string> {
 protected:
  struct Probe {
    std::string method, path, target, body;
    std::map<std::string, std::string> headers;
  };

  /// Sends the request, checks its status is documented for the operation and the body
  /// matches the documented schema; returns the response.
  testing::HttpResponse check(testing::Browser& b, const Probe& p, int want_status) {
    SCOPED_TRACE(p.method + " " + p.target);
    auto r = b.send(p.method, p.target, p.body, p.headers);
    EXPECT_EQ(r.status, want_status) << r.body;
    const YAML::Node op = spec()["paths"][p.path][p.method == "GET" ? "get" : "post"];
    if (!op) {
      ADD_FAILURE() << "no such operation in the spec";
      return r;
    }
    auto resp = op["responses"][std::to_string(r.status)];
    if (!resp) {
      ADD_FAILURE() << "status " << r.status << " is not documented";
      return r;
    }
    auto media = resolve(resp)["content"]["application/json"];
    if (!media) return r;
    EXPECT_EQ(r.header("content-type").rfind("application/json", 0), 0u);
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded()) {
      ADD_FAILURE() << "not JSON: " << r.body;
      return r;
    }
    std::vector<std::string> errs;
    check_schema(media["schema"], j, "$", errs);
    for (const auto& e : errs) ADD_FAILURE() << e << "\n" << r.body;
    if (r.status >= 400 && j.contains("error"))
      for (auto c : core::all_error_codes())
        if (core::error_wire(c) == j["error"]["code"].get<std::string>()) {
          EXPECT_EQ(core::error_status(c), r.status);
        }
    return r;
  }

  static std::map<std::string, std::string> bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  }
};

TEST_P(LiveApi, ResponsesMatchTheDocument) {
  testing::TestServer server(GetParam());
  auto& svc = *server.app().accounts;
  accounts::Actor actor;
  actor.name = "test";
  const std::string pw = "mat-khau-quan-tri-1";
  auto admin = svc.create_user(accounts::Service::system_principal(), actor,
                               {"admin@example.vn", "", "Quản trị", "", "system_admin", pw});
  ASSERT_TRUE(admin) << admin.error().message;
  auto citizen = svc.create_user(accounts::Service::system_principal(), actor,
                                 {"dan@example.vn", "", "Người dân", "", "citizen", "mat-khau-nguoi-dan-1"});
  ASSERT_TRUE(citizen) << citizen.error().message;
  auto admin_token = svc.create_token(actor, admin->id, "kiểm thử");
  auto citizen_token = svc.create_token(actor, citizen->id, "kiểm thử");
  ASSERT_TRUE(admin_token && citizen_token);
  auto A = bearer(admin_token->second), C = bearer(citizen_token->second);
  const std::map<std::string, std::string> none, json_only = {{"Content-Type", "application/json"}};

  testing::Browser b(server.port());
  const std::string orgs = "/api/v1/accounts/orgs", users = "/api/v1/accounts/users", me = "/api/v1/accounts/me",
                    audit = "/api/v1/accounts/audit", tokens = "/api/v1/accounts/tokens";

  // me
  check(b, {"GET", me, me, "", none}, 401);
  check(b, {"GET", me, me, "", bearer("pbg_khong-ton-tai")}, 401);
  check(b, {"GET", me, me, "", {{"Authorization", "Basic abc"}}}, 401);
  auto m = check(b, {"GET", me, me, "", A}, 200);
  EXPECT_NE(m.body.find("admin@example.vn"), std::string::npos);

  // orgs: create, conflict, validation, media type, syntax, permission
  check(b, {"POST", orgs, orgs, R"({"code":"tinh-mau","name":"Tỉnh Mẫu","type":"tinh"})", A}, 201);
  check(b, {"POST", orgs, orgs, R"({"code":"stp","name":"Sở Tư pháp","type":"so_nganh","parent_code":"tinh-mau"})", A},
        201);
  check(b, {"POST", orgs, orgs, R"({"code":"xa-a","name":"Xã A","type":"xa_phuong","parent_code":"tinh-mau"})", A},
        201);
  check(b, {"POST", orgs, orgs, R"({"code":"stp","name":"Trùng mã","type":"so_nganh","parent_code":"tinh-mau"})", A},
        409);
  auto v =
      check(b, {"POST", orgs, orgs, R"({"code":"x1","name":"","type":"so_nganh","parent_code":"tinh-mau"})", A}, 422);
  EXPECT_NE(v.body.find("\"field\""), std::string::npos) << v.body;
  check(b, {"POST", orgs, orgs, R"({"code":"x2","name":123,"type":"so_nganh"})", A}, 422);
  check(b, {"POST", orgs, orgs, "[1,2]", A}, 422);
  check(b, {"POST", orgs, orgs, "{không phải json", A}, 400);
  check(b,
        {"POST",
         orgs,
         orgs,
         "code=x",
         {{"Authorization", "Bearer " + admin_token->second}, {"Content-Type", "application/x-www-form-urlencoded"}}},
        415);
  check(b, {"POST", orgs, orgs, R"({"code":"x3","name":"Sở X","type":"so_nganh","parent_code":"tinh-mau"})", C}, 403);
  // Anonymous, no credentials: asked to sign in (anonymous requests carry no CSRF token).
  check(b, {"POST", orgs, orgs, R"({"code":"x4","name":"Sở X","type":"tinh"})", json_only}, 401);
  // ... and refused outright when a browser says it comes from another site.
  check(b, {"POST", orgs, orgs, R"({"code":"x4","name":"Sở X","type":"tinh"})",
            {{"Content-Type", "application/json"}, {"Sec-Fetch-Site", "cross-site"}}}, 403);

  // orgs listing: public, paginated
  auto p1 = check(b, {"GET", orgs, orgs + "?limit=2", "", none}, 200);
  auto j1 = json::parse(p1.body);
  ASSERT_EQ(j1["items"].size(), 2u);
  ASSERT_TRUE(j1["next_cursor"].is_string());
  auto p2 = check(b, {"GET", orgs, orgs + "?limit=2&cursor=" + j1["next_cursor"].get<std::string>(), "", none}, 200);
  auto j2 = json::parse(p2.body);
  ASSERT_EQ(j2["items"].size(), 1u);
  EXPECT_TRUE(j2["next_cursor"].is_null());
  EXPECT_EQ(j2["items"][0]["code"], "xa-a");
  check(b, {"GET", orgs, orgs + "?limit=0", "", none}, 400);
  check(b, {"GET", orgs, orgs + "?limit=201", "", none}, 400);
  check(b, {"GET", orgs, orgs + "?cursor=abc", "", none}, 400);
  check(b, {"GET", orgs, orgs + "?limit=%FF", "", none}, 400);
  check(b, {"GET", orgs, orgs, "", bearer("pbg_sai")}, 401);

  // users
  check(b, {"GET", users, users, "", none}, 401);
  check(b, {"GET", users, users, "", C}, 403);
  auto ul = check(b, {"GET", users, users + "?limit=1", "", A}, 200);
  EXPECT_TRUE(json::parse(ul.body)["next_cursor"].is_string());
  check(
      b,
      {"POST", users, users,
       R"({"email":"bien.tap@example.vn","name":"Biên tập","org_code":"stp","role":"editor","password":"mat-khau-bien-tap"})",
       A},
      201);
  check(b, {"POST", users, users, R"({"email":"bien.tap@example.vn","password":"mat-khau-khac-1"})", A}, 409);
  check(b, {"POST", users, users, R"({"email":"khong-hop-le","password":"mat-khau-khac-1"})", A}, 422);
  check(b, {"POST", users, users, R"({"email":"a@example.vn","password":"ngan"})", A}, 422);
  check(b, {"POST", users, users, R"({"email":"b@example.vn","name":"Người B","password":"mat-khau-khac-1"})", C}, 403);

  // audit
  check(b, {"GET", audit, audit, "", none}, 401);
  check(b, {"GET", audit, audit, "", C}, 403);
  auto al = check(b, {"GET", audit, audit + "?limit=2&entity=org", "", A}, 200);
  auto aj = json::parse(al.body);
  ASSERT_EQ(aj["items"].size(), 2u);
  EXPECT_GT(aj["items"][0]["id"].get<int64_t>(), aj["items"][1]["id"].get<int64_t>()) << "newest first";
  check(b, {"GET", audit, audit + "?cursor=" + aj["next_cursor"].get<std::string>() + "&entity=org", "", A}, 200);
  check(b, {"GET", audit, audit + "?limit=-1", "", A}, 400);

  // tokens
  auto t = check(b, {"POST", tokens, tokens, R"({"name":"Đồng bộ"})", C}, 201);
  EXPECT_EQ(json::parse(t.body)["token"].get<std::string>().rfind("pbg_", 0), 0u);
  check(b, {"POST", tokens, tokens, R"({"name":""})", C}, 422);
  check(b, {"POST", tokens, tokens, R"({"name":"x"})", none}, 401);

  // the session cookie: unsafe requests need X-CSRF-Token
  ASSERT_TRUE(b.login("admin@example.vn", pw));
  check(b, {"GET", me, me, "", none}, 200);
  check(b, {"POST", tokens, tokens, R"({"name":"Phiên"})", json_only}, 403);
  check(
      b,
      {"POST", tokens, tokens, R"({"name":"Phiên"})", {{"Content-Type", "application/json"}, {"X-CSRF-Token", "sai"}}},
      403);
  check(b,
        {"POST",
         tokens,
         tokens,
         R"({"name":"Phiên"})",
         {{"Content-Type", "application/json"}, {"X-CSRF-Token", b.csrf()}}},
        201);
  // the legal library (empty here: the shapes and the errors are what is checked)
  const std::string docs = "/api/v1/law/documents", doc = "/api/v1/law/documents/{id}", search = "/api/v1/search",
                    suggest = "/api/v1/law/suggest";
  check(b, {"GET", docs, docs, "", none}, 200);
  check(b, {"GET", docs, docs + "?limit=0", "", none}, 422);
  check(b, {"GET", docs, docs + "?limit=101", "", none}, 422);
  check(b, {"GET", doc, "/api/v1/law/documents/987654", "", none}, 404);
  check(b, {"GET", search, search + "?q=quy%E1%BB%81n+s%E1%BB%AD+d%E1%BB%A5ng+%C4%91%E1%BA%A5t", "", none}, 200);
  check(b, {"GET", search, search + "?q=dat&level=document&limit=5", "", none}, 200);
  check(b, {"GET", search, search, "", none}, 422);
  check(b, {"GET", search, search + "?q=dat&level=dieu", "", none}, 422);
  check(b, {"GET", search, search + "?q=dat&limit=51", "", none}, 422);
  check(b, {"GET", search, search + "?q=%C3%28", "", none}, 400);
  check(b, {"GET", suggest, suggest + "?q=lu", "", none}, 200);

  // … and with the sample documents imported and indexed (indexing runs as jobs)
  auto sample = server.app().load_sample();
  ASSERT_TRUE(sample) << sample.error().message;
  server.app().jobs->drain();
  auto dl = check(b, {"GET", docs, docs + "?limit=1", "", none}, 200);
  auto dj = json::parse(dl.body);
  ASSERT_EQ(dj["items"].size(), 1u);
  ASSERT_TRUE(dj["next_cursor"].is_string());
  check(b, {"GET", docs, docs + "?cursor=" + dj["next_cursor"].get<std::string>(), "", none}, 200);
  auto all = json::parse(check(b, {"GET", docs, docs, "", none}, 200).body);
  EXPECT_GE(all["items"].size(), 3u);
  for (const auto& d : all["items"]) {
    auto one = check(b, {"GET", doc, "/api/v1/law/documents/" + std::to_string(d["id"].get<int64_t>()), "", none}, 200);
    EXPECT_FALSE(json::parse(one.body)["body"].empty()) << one.body;
  }
  std::string first = "/api/v1/law/documents/" + std::to_string(all["items"][0]["id"].get<int64_t>());
  check(b, {"GET", doc, first + "?as_at=2026-13-45", "", none}, 422);
  auto sr = check(b, {"GET", search, search + "?q=hoa+giai+vien", "", none}, 200);
  auto sj = json::parse(sr.body);
  EXPECT_GE(sj["results"].size(), 1u) << sr.body;
  EXPECT_FALSE(sj["facets"].empty()) << sr.body;
  check(b, {"GET", search, search + "?q=h%C3%B2a+gi%E1%BA%A3i&level=document&hieu_luc=tat-ca", "", none}, 200);
  auto sg = check(b, {"GET", suggest, suggest + "?q=h%C3%B2a", "", none}, 200);
  EXPECT_FALSE(json::parse(sg.body)["items"].empty()) << sg.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveApi, ::testing::ValuesIn(testing::backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace pbgdpl::api
