#include "app/app.h"

#include <nlohmann/json.hpp>

#include <map>

#include "accounts/routes.h"
#include "contest/routes.h"
#include "law/importer.h"
#include "law/routes.h"
#include "portal/routes.h"
#include "portal/sample.h"
#include "core/assets.h"
#include "core/log.h"
#include "core/time.h"
#include "storage/migrate.h"

void pbgdpl_embed_pbgdpl_app_app();

namespace pbgdpl::app {

using core::Error;
using core::ErrorCode;
using http::Request;
using http::Response;
using nlohmann::json;

const std::vector<std::string>& App::modules() {
  static const std::vector<std::string> m = {"storage", "accounts", "law", "portal", "contest"};
  return m;
}

void App::register_assets() {
  pbgdpl_embed_pbgdpl_app_app();
  accounts::register_accounts_assets();
  law::register_law_assets();
  portal::register_portal_assets();
  contest::register_contest_assets();
}

App::~App() {
  if (jobs) jobs->stop();
}

core::Result<std::unique_ptr<App>> App::open(const core::Config& cfg, bool migrate) {
  std::unique_ptr<App> a(new App());
  a->config = cfg;
  auto db = storage::Database::open(cfg.database_url(), cfg.db_pool);
  if (!db) return db.take_error();
  a->db = std::move(*db);
  register_assets();
  if (migrate) {
    auto n = storage::migrate(*a->db, modules(), [](const storage::Migration& m) {
      core::log_info("migration applied module={} name={}", m.module, m.name);
    });
    if (!n) return n.take_error();
  } else {
    auto pending = storage::pending_migrations(*a->db, modules());
    if (!pending) return pending.take_error();
    if (*pending > 0)
      return Error::of(ErrorCode::Unavailable, "Cơ sở dữ liệu chưa được cập nhật (" + std::to_string(*pending) +
                                                   " migration chưa áp dụng). Hãy chạy: pbgdpl migrate");
  }
  PBGDPL_TRY(a->init());
  return a;
}

core::Status App::init() {
  accounts::ServiceOptions ao;
  ao.session_idle_min = config.session_idle_min;
  ao.session_absolute_h = config.session_absolute_h;
  ao.public_url = config.public_url;
  accounts = std::make_unique<accounts::Service>(*db, ao);
  PBGDPL_TRY(accounts->init());
  jobs = std::make_unique<storage::JobQueue>(*db);
  mail = accounts::make_sender(config);
  accounts->register_jobs(*jobs, mail);

  auto idx = search::Index::open(config.data_dir + "/search");
  if (!idx) return idx.take_error();
  index = std::move(*idx);
  law = std::make_unique<law::Service>(*db, index.get());
  law->register_jobs(*jobs);
  contest = std::make_unique<contest::Service>(*db, *accounts);

  auto pidx = search::Index::open(config.data_dir + "/portal-search");
  if (!pidx) return pidx.take_error();
  portal_index = std::move(*pidx);
  portal::ServiceOptions po;
  po.data_dir = config.data_dir;
  po.public_url = config.public_url;
  portal = std::make_unique<portal::Service>(*db, *accounts, portal_index.get(), po);
  portal->set_ref_checker([this](const std::string& address) { return law_address_exists(address); });
  portal->register_jobs(*jobs);
  PBGDPL_TRY(portal->ensure_link_job());

  PBGDPL_TRY(site.load());
  PBGDPL_TRY(site.add_templates("accounts/templates/"));
  PBGDPL_TRY(site.add_templates("law/templates/"));
  PBGDPL_TRY(site.add_templates("portal/templates/"));
  PBGDPL_TRY(site.add_templates("contest/templates/"));
  PBGDPL_TRY(site.add_templates("app/templates/"));
  site.add_nav({"/", "Trang chủ"});
  site.add_nav({"/tin-tuc", "Tin tức"});
  site.add_nav({"/tai-lieu", "Tài liệu"});
  site.add_nav({"/van-ban", "Văn bản pháp luật"});
  site.add_nav({"/hoi-dap", "Hỏi đáp"});
  site.add_nav({"/cuoc-thi", "Cuộc thi"});
  site.add_nav({"/khoa-hoc", "Khóa học"});
  site.add_nav({"/don-vi", "Đơn vị"});
  register_routes();
  return {};
}

namespace {
struct Section {
  const char* href;
  const char* title;
  const char* summary;
};
constexpr Section kSections[] = {
    {"/van-ban", "Tủ sách pháp luật điện tử", "Tra cứu văn bản, điều khoản còn hiệu lực; gõ có dấu hay không dấu đều được."},
    {"/tin-tuc", "Tin tức và tài liệu phổ biến", "Sổ tay, tờ gấp, infographic, video, sách nói cho mọi đối tượng."},
    {"/hoi-dap", "Hỏi đáp pháp luật", "Gửi câu hỏi, đọc câu trả lời của cơ quan nhà nước và tư vấn viên."},
    {"/doanh-nghiep", "Hỗ trợ pháp lý doanh nghiệp", "Vướng mắc của doanh nghiệp và trả lời của cơ quan có thẩm quyền."},
    {"/tro-ly", "Trợ lý pháp luật", "Hỏi nhanh, nhận câu trả lời kèm trích dẫn điều luật."},
    {"/cuoc-thi", "Thi tìm hiểu pháp luật", "Các cuộc thi trực tuyến toàn tỉnh, kết quả minh bạch."},
    {"/khoa-hoc", "Học trực tuyến", "Khóa học cho cán bộ, báo cáo viên, tuyên truyền viên."},
    {"/khao-sat", "Khảo sát, góp ý", "Cho biết ý kiến và mức độ hài lòng của bạn."},
};
}  // namespace

void App::register_routes() {
  site.register_routes(router);
  accounts::register_routes(router, *accounts, site);
  law::register_routes(router, *law, site);
  portal::register_routes(router, *portal, *accounts, site, portal_extras());
  contest::register_routes(router, *contest, site);

  // The home page is the portal's (featured, latest, audiences, materials, new documents),
  // with the platform's sections listed under it.
  router.get("/", [this](Request& req) { return portal::home_page(req, *portal, site, portal_extras()); },
             {0, false, false, 5});
  router.get("/healthz", [this](Request&) {
    // A load balancer polls this every few seconds, a monitoring storm many times a second:
    // the database is asked at most once a second, and a failure is never remembered.
    int64_t now = core::mono_ns();
    if (now >= healthy_until_ns.load(std::memory_order_relaxed)) {
      if (!db->ping()) return Response::text("unavailable\n", 503);
      healthy_until_ns.store(now + 1'000'000'000, std::memory_order_relaxed);
    }
    auto r = Response::text("ok");
    r.set_header("cache-control", "no-store");
    return r;
  }, {0, false, true});
  router.get("/api/v1/openapi.yaml", [](Request&) {
    auto spec = core::find_asset("app/openapi.yaml");
    if (!spec) http::fail(ErrorCode::NotFound);
    Response r;
    r.content_type = "application/yaml; charset=utf-8";
    r.body = std::string(*spec);
    return r;
  });
}

// The legal library as the portal sees it: provision addresses for links, new documents for
// the home page, library hits for the site search.
bool App::law_address_exists(const std::string& address) {
  // "/van-ban/{slug}[/dieu-12[/khoan-2[/diem-a]]]"
  std::string rest = address.substr(std::string("/van-ban/").size());
  auto slash = rest.find('/');
  std::string slug = rest.substr(0, slash);
  auto doc = law->view(slug, "", false);
  if (!doc || !doc->has_value()) return false;
  if (slash == std::string::npos) return true;
  std::string anchor = rest.substr(slash + 1);
  for (auto& c : anchor)
    if (c == '/') c = '-';
  auto provs = law->provisions((*doc)->doc.id);
  if (!provs) return false;
  for (const auto& p : *provs)
    if (p.anchor == anchor || anchor.rfind(p.anchor + "-", 0) == 0) return true;
  return false;
}

portal::Extras App::portal_extras() {
  portal::Extras e;
  e.sections = [this] {
    json sections = json::array();
    int64_t documents = 0;
    if (auto counts = law->counts())
      for (const auto& [type, n] : *counts) documents += n;
    for (const auto& s : kSections) {
      std::string status = "Đang xây dựng – sắp ra mắt.";
      if (std::string_view(s.href) == "/van-ban")
        status = documents ? std::to_string(documents) + " văn bản đang được công bố." : "Chưa có văn bản nào.";
      if (std::string_view(s.href) == "/tin-tuc") status = "Đang hoạt động.";
      sections.push_back({{"href", s.href}, {"title", s.title}, {"summary", s.summary}, {"status", status}});
    }
    return sections;
  };
  e.new_documents = [this] {
    json out = json::array();
    auto docs = law->list("", "", 0, 5, false);
    if (!docs) return out;
    for (const auto& d : *docs)
      out.push_back({{"title", d.title}, {"href", "/van-ban/" + d.slug},
                     {"meta", d.number + (d.issued_on.empty() ? "" : ", ngày " + d.issued_on)}});
    return out;
  };
  e.library_search = [this](const std::string& q) {
    json out = json::array();
    law::SearchRequest r;
    r.q = q;
    r.limit = 5;
    auto res = law->search(r);
    if (!res) return out;
    for (const auto& h : res->hits) {
      auto p = json::parse(h.payload, nullptr, false);
      if (p.is_discarded()) continue;
      std::string anchor = p.value("anchor", ""), href = "/van-ban/" + p.value("slug", "");
      if (anchor.rfind("dieu-", 0) == 0) {
        for (const char* sep : {"-khoan-", "-diem-"}) {
          auto pos = anchor.find(sep);
          if (pos != std::string::npos) anchor.replace(pos, 1, "/");
        }
        href += "/" + anchor;
      }
      out.push_back({{"title", "Điều " + p.value("article", "") + ". " + p.value("heading", "") + " – " + p.value("title", "")},
                     {"href", href}, {"snippet", h.snippet}});
    }
    return out;
  };
  return e;
}

std::unique_ptr<http::Server> App::make_server() {
  http::ServerOptions so;
  auto colon = config.listen.rfind(':');
  so.host = colon == std::string::npos ? config.listen : config.listen.substr(0, colon);
  so.port = colon == std::string::npos ? 8080 : static_cast<uint16_t>(std::atoi(config.listen.c_str() + colon + 1));
  if (so.host.size() > 2 && so.host.front() == '[') so.host = so.host.substr(1, so.host.size() - 2);
  so.threads = config.threads;
  so.max_body = config.max_body;
  so.max_header = config.max_header;
  so.read_timeout_s = config.read_timeout_s;
  so.idle_timeout_s = config.idle_timeout_s;
  so.shutdown_grace_s = config.shutdown_grace_s;
  so.trust_proxy = config.trust_proxy;
  so.access_log = config.access_log;
  auto server = std::make_unique<http::Server>(so, router);
  server->use(accounts::auth_middleware(*accounts));
  // Public pages (routes with anon_cache_s) are cached for anonymous visitors: no session,
  // no API token, no flash message; display preferences (the `ui` cookie) are part of the key.
  server->cache_key([](const Request& req) -> std::optional<std::string> {
    if (!req.header("authorization").empty() || req.cookie("sid") || req.cookie("flash")) return std::nullopt;
    std::string key;
    if (auto ui = req.cookie("ui")) key = std::string(ui->find("lg") != std::string::npos ? "L" : "-") +
                                          (ui->find("hc") != std::string::npos ? "H" : "-");
    else key = "--";
    key += req.target;
    return key;
  });
  server->on_error([this](const Request& req, const Error& e) { return site.error_page(req, e); });
  auto* srv = server.get();
  router.get("/metrics", [srv](Request&) {
    auto r = Response::text(srv->metrics().render());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  }, {0, false, true});
  server->metrics().add_collector([this](std::string& out) {
    auto p = db->stats();
    out += "# HELP pbgdpl_db_pool_connections Open database connections.\n# TYPE pbgdpl_db_pool_connections gauge\n";
    out += "pbgdpl_db_pool_connections{backend=\"" + std::string(storage::backend_name(db->backend())) + "\"} " +
           std::to_string(p.size) + "\n";
    out += "# TYPE pbgdpl_db_pool_in_use gauge\npbgdpl_db_pool_in_use " + std::to_string(p.in_use) + "\n";
    out += "# TYPE pbgdpl_db_pool_waits_total counter\npbgdpl_db_pool_waits_total " + std::to_string(p.waits) + "\n";
    out += "# TYPE pbgdpl_db_pool_acquired_total counter\npbgdpl_db_pool_acquired_total " + std::to_string(p.acquired) + "\n";
    if (auto c = jobs->counts()) {
      out += "# HELP pbgdpl_jobs Jobs in the queue by status.\n# TYPE pbgdpl_jobs gauge\n";
      out += "pbgdpl_jobs{status=\"queued\"} " + std::to_string(c->queued) + "\n";
      out += "pbgdpl_jobs{status=\"running\"} " + std::to_string(c->running) + "\n";
      out += "pbgdpl_jobs{status=\"done\"} " + std::to_string(c->done) + "\n";
      out += "pbgdpl_jobs{status=\"failed\"} " + std::to_string(c->failed) + "\n";
    }
    out += "# TYPE pbgdpl_jobs_processed_total counter\npbgdpl_jobs_processed_total " +
           std::to_string(jobs->processed()) + "\n";
    out += "# HELP pbgdpl_build_info Build information.\n# TYPE pbgdpl_build_info gauge\n";
    out += "pbgdpl_build_info{version=\"" PBGDPL_VERSION "\",backend=\"" +
           std::string(storage::backend_name(db->backend())) + "\"} 1\n";
  });
  return server;
}

core::Result<App::SampleReport> App::load_sample() {
  SampleReport rep;
  auto csv = core::find_asset("app/sample/orgs.csv");
  if (!csv) return Error::of(ErrorCode::NotFound, "sample orgs missing");
  accounts::Actor a;
  a.name = "sample";
  auto orgs = accounts->import_orgs_csv(accounts::Service::system_principal(), a, *csv);
  if (!orgs) return orgs.take_error();
  rep.orgs = std::move(*orgs);
  // Our own sample legal documents (fictional province "An Hòa"), with a replacement relation.
  std::map<std::string, int64_t> ids;
  for (const auto& name : core::list_assets("law/sample/")) {
    std::string text(*core::find_asset(name));
    law::ImportInput in;
    in.parsed = law::parse_text(text);
    in.meta = law::meta_from_header(in.parsed, name);
    in.meta.scope = "dia_phuong";
    in.meta.doc_type = in.meta.doc_type == "nghi_quyet" ? "nghi_quyet_hdnd" : in.meta.doc_type == "quyet_dinh" ? "quyet_dinh_ubnd" : in.meta.doc_type;
    in.meta.field = "Phổ biến, giáo dục pháp luật";
    in.meta.effective_on = in.meta.issued_on;
    in.source_key = "sample:" + name.substr(name.rfind('/') + 1);
    in.source_text = text;
    auto r = law->import(a, in);
    if (!r) return r.take_error();
    ids[in.meta.number] = r->id;
    if (r->outcome == law::ImportOutcome::Created) ++rep.documents_created;
    else if (r->outcome == law::ImportOutcome::Updated) ++rep.documents_updated;
  }
  auto newer = ids.find("12/2026/QĐ-UBND"), older = ids.find("03/2024/QĐ-UBND");
  if (newer != ids.end() && older != ids.end() && rep.documents_created > 0) {
    (void)law->relate(a, newer->second, "03/2024/QĐ-UBND", "thay_the", "Thay thế toàn bộ");
    (void)law->set_status(a, older->second, "het_hieu_luc", "2026-05-01", "Bị thay thế bởi Quyết định số 12/2026/QĐ-UBND");
  }
  jobs->drain();  // index the sample documents now
  auto items = portal::load_sample(*portal, [this](const std::string& number) {
    auto d = law->find_by_number(number);
    return d && d->has_value() ? (*d)->slug : std::string();
  });
  if (!items) return items.take_error();
  rep.items_created = *items;
  // The items' index and speech jobs stay queued: `serve` runs them in the background (a
  // minute or so for the speech), and tests that need them drain the queue themselves.
  return rep;
}

}  // namespace pbgdpl::app
