#pragma once
// Test support shared by every test binary: temporary directories, databases on both
// backends (a fresh PostgreSQL database per test), an in-process server with a raw HTTP
// client, and a browser-like session that keeps cookies and CSRF tokens.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "app/app.h"
#include "storage/db.h"

namespace pbgdpl::testing {

/// A fresh directory under $TMPDIR, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

/// Backends the storage-level suites run on: "sqlite" always, "postgres" when
/// PBGDPL_TEST_PG_URL is set (`make test` starts a server). With PBGDPL_REQUIRE_PG=1 a
/// missing server is a failure, not a skip.
std::vector<std::string> backends();

/// A database for one test: an SQLite file in a temp dir, or a new PostgreSQL database
/// created on the test server and dropped afterwards.
class TestDb {
 public:
  explicit TestDb(const std::string& backend);
  ~TestDb();
  const std::string& url() const { return url_; }
  const std::string& backend() const { return backend_; }
  const TempDir& dir() const { return dir_; }

 private:
  std::string backend_;
  TempDir dir_;
  std::string url_;
  std::string pg_name_;
};

/// Opens a database with migrations applied for the given modules.
std::unique_ptr<storage::Database> open_migrated(const TestDb& t,
                                                 const std::vector<std::string>& modules = app::App::modules());

struct HttpResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;  ///< lower-case names
  std::string body;
  std::string header(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
};

/// Sends raw bytes to 127.0.0.1:port and reads one response (or until close).
HttpResponse raw_request(uint16_t port, const std::string& bytes, int timeout_ms = 10000);
/// Parses one HTTP response from bytes (helper for raw clients).
HttpResponse parse_response(const std::string& bytes);

/// A whole App on a temporary data dir, served on a free loopback port in a thread.
class TestServer {
 public:
  explicit TestServer(const std::string& backend = "sqlite", core::Config base = {});
  ~TestServer();
  uint16_t port() const { return port_; }
  app::App& app() { return *app_; }
  const TestDb& db() const { return db_; }
  void stop();

 private:
  TestDb db_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

/// A browser-like client: keeps cookies, reads the CSRF token from pages it loads.
class Browser {
 public:
  explicit Browser(uint16_t port) : port_(port) {}
  HttpResponse get(const std::string& path, const std::map<std::string, std::string>& headers = {});
  /// POSTs a form; adds `_csrf` from the last page loaded unless the form has one.
  HttpResponse post_form(const std::string& path, std::vector<std::pair<std::string, std::string>> fields,
                         bool add_csrf = true);
  HttpResponse send(const std::string& method, const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers);
  /// Signs in through the login form; true on the redirect that means success.
  bool login(const std::string& login, const std::string& password);
  std::string csrf() const { return csrf_; }
  std::map<std::string, std::string>& cookies() { return cookies_; }

 private:
  void absorb(const HttpResponse& r);
  uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

/// application/x-www-form-urlencoded body.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);
/// A multipart/form-data body with boundary kMultipartBoundary: parts are (name, filename,
/// data); a part with a filename is a file (application/octet-stream).
inline constexpr const char* kMultipartBoundary = "BOUNDARY42";
std::string multipart_body(const std::vector<std::tuple<std::string, std::string, std::string>>& parts);
/// Path of the repository's ../shared/data (from PBGDPL_SHARED_DATA or the source tree).
std::filesystem::path shared_data();
/// Path of the pbgdpl binary under test (PBGDPL_BIN, set by CMake).
std::string pbgdpl_bin();
/// Runs a shell command, returns exit code; output captured into out.
int run_command(const std::string& cmd, std::string* out = nullptr);

}  // namespace pbgdpl::testing
