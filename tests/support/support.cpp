#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>

#include "core/crypto.h"
#include "http/message.h"
#include "storage/migrate.h"

namespace pbgdpl::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/pbgdpl-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> backends() {
  std::vector<std::string> out = {"sqlite"};
  const char* pg = std::getenv("PBGDPL_TEST_PG_URL");
  if (pg && *pg) {
    out.push_back("postgres");
  } else if (const char* req = std::getenv("PBGDPL_REQUIRE_PG"); req && std::string(req) == "1") {
    ADD_FAILURE() << "PBGDPL_REQUIRE_PG=1 but PBGDPL_TEST_PG_URL is not set";
  }
  return out;
}

namespace {
std::string pg_admin_url() {
  const char* pg = std::getenv("PBGDPL_TEST_PG_URL");
  return pg ? pg : "";
}
std::string with_db(const std::string& url, const std::string& db) {
  // postgresql://user@host:port/dbname?params → replace dbname
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme + 3);
  auto q = url.find('?', scheme + 3);
  std::string base = url.substr(0, slash == std::string::npos ? (q == std::string::npos ? url.size() : q) : slash);
  std::string params = q == std::string::npos ? "" : url.substr(q);
  return base + "/" + db + params;
}
core::Status admin_exec(const std::string& sql) {
  auto db = storage::Database::open(pg_admin_url(), 1);
  if (!db) return db.take_error();
  auto lease = (*db)->acquire(true);
  if (!lease) return lease.take_error();
  return (*lease)->exec_script(sql);
}
}  // namespace

TestDb::TestDb(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    url_ = "sqlite:" + dir_.str() + "/test.db";
    return;
  }
  pg_name_ = "pbgdpl_t_" + core::random_hex(6);
  auto st = admin_exec("CREATE DATABASE " + pg_name_);
  if (!st) throw std::runtime_error("cannot create test database: " + st.error().message);
  url_ = with_db(pg_admin_url(), pg_name_);
}

TestDb::~TestDb() {
  if (!pg_name_.empty()) (void)admin_exec("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
}

std::unique_ptr<storage::Database> open_migrated(const TestDb& t, const std::vector<std::string>& modules) {
  app::App::register_assets();
  auto db = storage::Database::open(t.url(), 4);
  if (!db) throw std::runtime_error(db.error().message);
  auto n = storage::migrate(**db, modules);
  if (!n) throw std::runtime_error(n.error().message);
  return std::move(*db);
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::vector<std::string> HttpResponse::all(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = headers.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

HttpResponse parse_response(const std::string& bytes) {
  HttpResponse r;
  auto end = bytes.find("\r\n\r\n");
  if (end == std::string::npos) return r;
  std::string head = bytes.substr(0, end);
  size_t pos = head.find("\r\n");
  std::string status_line = head.substr(0, pos);
  if (status_line.size() >= 12) r.status = std::atoi(status_line.c_str() + 9);
  while (pos != std::string::npos && pos < head.size()) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string k = line.substr(0, colon), v = line.substr(colon + 1);
      for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      r.headers.emplace(k, v);
    }
    pos = next;
  }
  r.body = bytes.substr(end + 4);
  auto cl = r.header("content-length");
  if (!cl.empty()) {
    size_t n = std::stoul(cl);
    if (r.body.size() > n) r.body.resize(n);
  }
  return r;
}

HttpResponse raw_request(uint16_t port, const std::string& bytes, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return {};
  }
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  std::string in;
  char buf[16384];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) break;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
    auto end = in.find("\r\n\r\n");
    if (end != std::string::npos) {
      auto r = parse_response(in);
      auto cl = r.header("content-length");
      if (!cl.empty() && in.size() >= end + 4 + std::stoul(cl)) break;
    }
  }
  close(fd);
  return parse_response(in);
}

TestServer::TestServer(const std::string& backend, core::Config base) : db_(backend) {
  core::crypto_init();
  base.data_dir = db_.dir().str();
  base.database = db_.url();
  base.listen = "127.0.0.1:0";
  base.threads = base.threads ? base.threads : 2;
  base.access_log = false;
  base.workers = 0;
  auto a = app::App::open(base, true);
  if (!a) throw std::runtime_error("App::open: " + a.error().message);
  app_ = std::move(*a);
  server_ = app_->make_server();
  auto st = server_->bind();
  if (!st) throw std::runtime_error("bind: " + st.error().message);
  port_ = server_->port();
  thread_ = std::thread([this] { server_->run(); });
}

void TestServer::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

TestServer::~TestServer() { stop(); }

std::string multipart_body(const std::vector<std::tuple<std::string, std::string, std::string>>& parts) {
  const std::string b = kMultipartBoundary;
  std::string body;
  for (const auto& [name, filename, data] : parts) {
    body += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty()) body += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
    body += "\r\n\r\n" + data + "\r\n";
  }
  return body + "--" + b + "--\r\n";
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += http::percent_encode(k) + "=" + http::percent_encode(v);
  }
  return out;
}

void Browser::absorb(const HttpResponse& r) {
  for (const auto& c : r.all("set-cookie")) {
    auto eq = c.find('='), semi = c.find(';');
    std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
    if (c.find("Max-Age=0") != std::string::npos) cookies_.erase(name);
    else cookies_[name] = value;
  }
  static const std::regex re("name=\"_csrf\" value=\"([0-9a-f]+)\"");
  std::smatch m;
  if (std::regex_search(r.body, m, re)) csrf_ = m[1];
}

HttpResponse Browser::send(const std::string& method, const std::string& path, const std::string& body,
                           const std::map<std::string, std::string>& headers) {
  // As a browser sends it: the port is part of Host (and of Origin, which the server
  // compares with Host for anonymous posts).
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                    "\r\nConnection: close\r\n";
  if (!cookies_.empty()) {
    std::string c;
    for (const auto& [k, v] : cookies_) c += (c.empty() ? "" : "; ") + k + "=" + v;
    req += "Cookie: " + c + "\r\n";
  }
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  auto r = raw_request(port_, req);
  absorb(r);
  return r;
}

HttpResponse Browser::get(const std::string& path, const std::map<std::string, std::string>& headers) {
  return send("GET", path, "", headers);
}

HttpResponse Browser::post_form(const std::string& path, std::vector<std::pair<std::string, std::string>> fields,
                                bool add_csrf) {
  if (add_csrf) {
    bool has = false;
    for (const auto& f : fields) has |= f.first == "_csrf";
    if (!has) fields.emplace_back("_csrf", csrf_);
  }
  return send("POST", path, form_encode(fields), {{"Content-Type", "application/x-www-form-urlencoded"}});
}

bool Browser::login(const std::string& login, const std::string& password) {
  get("/dang-nhap");
  auto r = post_form("/dang-nhap", {{"login", login}, {"password", password}, {"next", "/"}});
  if (r.status != 303) return false;
  get("/");  // refresh the CSRF token bound to the new session
  return cookies_.count("sid") > 0;
}

std::filesystem::path shared_data() {
  if (const char* p = std::getenv("PBGDPL_SHARED_DATA")) return p;
  return std::filesystem::path(PBGDPL_SOURCE_DIR) / ".." / "shared" / "data";
}

std::string pbgdpl_bin() {
  if (const char* p = std::getenv("PBGDPL_BIN")) return p;
  return PBGDPL_BINARY;
}

int run_command(const std::string& cmd, std::string* out) {
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return -1;
  std::string o;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) o.append(buf, n);
  int rc = pclose(f);
  if (out) *out = o;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace pbgdpl::testing
