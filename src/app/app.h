#pragma once
// The application context: configuration, database, job queue, web shell and module
// services, built once by main and passed explicitly (no globals), so tests build their own.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "accounts/service.h"
#include "contest/service.h"
#include "law/service.h"
#include "portal/routes.h"
#include "portal/service.h"
#include "search/index.h"
#include "core/config.h"
#include "http/router.h"
#include "http/server.h"
#include "storage/db.h"
#include "storage/jobs.h"
#include "web/site.h"

namespace pbgdpl::app {

class App {
 public:
  /// Opens the database; with migrate=true applies pending migrations first.
  static core::Result<std::unique_ptr<App>> open(const core::Config& cfg, bool migrate);
  ~App();

  /// Modules in migration order.
  static const std::vector<std::string>& modules();
  /// Registers every module's embedded files (templates, migrations, samples); idempotent.
  static void register_assets();

  core::Config config;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<storage::JobQueue> jobs;
  web::Site site;
  std::unique_ptr<accounts::Service> accounts;
  std::unique_ptr<search::Index> index;  ///< this node's search index under <data_dir>/search
  std::unique_ptr<law::Service> law;
  std::unique_ptr<search::Index> portal_index;  ///< news and materials, <data_dir>/portal-search
  std::unique_ptr<portal::Service> portal;
  std::unique_ptr<contest::Service> contest;
  http::Router router;
  std::atomic<int64_t> healthy_until_ns{0};  ///< /healthz: database last seen well until then
  std::shared_ptr<accounts::MailSender> mail;

  /// Builds a server with every route and middleware (not yet bound).
  std::unique_ptr<http::Server> make_server();
  struct SampleReport {
    accounts::ImportReport orgs;
    int documents_created = 0;
    int documents_updated = 0;
    int items_created = 0;
  };
  /// Loads the project's own sample content: organizations and legal documents (idempotent).
  core::Result<SampleReport> load_sample();

 private:
  App() = default;
  core::Status init();
  void register_routes();
  bool law_address_exists(const std::string& address);
  portal::Extras portal_extras();
};

}  // namespace pbgdpl::app
