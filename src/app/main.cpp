// pbgdpl: the one executable. Subcommands share --data-dir, --database and --config.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/app.h"
#include "contest/importer.h"
#include "law/importer.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/utf8.h"
#include "storage/migrate.h"

namespace {

using pbgdpl::app::App;
using pbgdpl::core::Config;

constexpr const char* kHelp = R"(pbgdpl – nền tảng phổ biến, giáo dục pháp luật (PBGDPL)

Usage: pbgdpl <command> [options]

Commands:
  serve                      serve the platform over HTTP (applies migrations first)
  worker                     run background jobs only (for extra machines, PostgreSQL mode)
  migrate                    apply pending database migrations
  admin init [--email E]     create the first system administrator if none exists
                             (password from PBGDPL_ADMIN_PASSWORD, else generated and printed once)
  user add --email E --role ROLE [--org CODE] [--name N] [--phone P]
                             create a user; the password is read from stdin
  org import FILE.csv        import organizations (code,name,type,parent_code,portal_url)
  sample load                load the project's own sample content
  backup --to FILE           online backup of the SQLite database (PostgreSQL: prints the pg_dump command)
  audit verify               check the audit log's hash chain; exit 1 when it was tampered with
  library import PATH… [--format alqac] [--status STATUS]
                             import legal documents (.txt .md .html .docx .pdf, pbgdpl.law/1 JSON,
                             or the ALQAC law.json layout); re-import updates and keeps addresses
  search reindex             rebuild this node's search index from the database
  search query TEXT [--level article|document]
                             run a search from the command line
  jobs run                   run queued jobs once and exit
  contest bank import FILE --format csv|xlsx|json|alqac
                             import questions into the contest bank (re-import updates by key;
                             a question a live round uses gets a new version)
  contest create --from FILE.json
                             create a contest from a definition file (docs: src/contest/DESIGN.md);
                             prints its id
  contest publish ID         publish a contest (citizens can take it while a round is open)
  contest rank ID [--round R] [--format text|json|csv]
                             the ranking of a round, reproducible; frozen once the round closed
  version                    print the version

Options for every command:
  --data-dir DIR             data directory (default: var)
  --database URL             sqlite:PATH or postgresql://user@host/db (default: sqlite:DIR/pbgdpl.db)
  --config FILE              config file (default: $PBGDPL_CONFIG, else DIR/pbgdpl.conf when present)
  --listen HOST:PORT         (serve) address to listen on (default: 127.0.0.1:8080)
  --<key> VALUE              any config key, e.g. --threads 2 --workers 0 --trust-proxy true

Configuration keys (file `key = value`, environment PBGDPL_<KEY>):
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      std::string key = s.substr(2), val;
      auto eq = key.find('=');
      if (eq != std::string::npos) {
        val = key.substr(eq + 1);
        key = key.substr(0, eq);
      } else if (key == "help") {
        val = "1";
      } else if (i + 1 < argc) {
        val = argv[++i];
      }
      for (auto& c : key)
        if (c == '-') c = '_';
      a.flags[key] = val;
    } else if (s == "-h") {
      a.flags["help"] = "1";
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

int fail(const std::string& msg) {
  std::cerr << "lỗi: " << msg << "\n";
  return 1;
}

const std::map<std::string, bool> kCommandFlags = {
    {"email", true}, {"role", true}, {"org", true}, {"name", true}, {"phone", true}, {"to", true}, {"help", true},
    {"config", true}, {"format", true}, {"status", true}, {"level", true}, {"from", true}, {"round", true}};

pbgdpl::core::Result<Config> load_config(const Args& a) {
  Config c;
  std::string file;
  if (auto it = a.flags.find("config"); it != a.flags.end()) file = it->second;
  else if (const char* e = std::getenv("PBGDPL_CONFIG")) file = e;
  // data_dir may come from env/flags and decides where the default config file is.
  Config probe;
  (void)probe.load_env();
  if (auto it = a.flags.find("data_dir"); it != a.flags.end()) probe.data_dir = it->second;
  if (file.empty() && std::filesystem::exists(probe.data_dir + "/pbgdpl.conf")) file = probe.data_dir + "/pbgdpl.conf";
  if (!file.empty()) {
    auto st = c.load_file(file);
    if (!st) return st.take_error();
  }
  if (auto st = c.load_env(); !st) return st.take_error();
  for (const auto& [k, v] : a.flags) {
    if (kCommandFlags.count(k)) continue;
    auto st = c.set(k, v);
    if (!st) return st.take_error();
  }
  return c;
}

std::string flag(const Args& a, const std::string& k) {
  auto it = a.flags.find(k);
  return it == a.flags.end() ? "" : it->second;
}

std::unique_ptr<App> open_app(const Config& c, bool migrate) {
  std::error_code ec;
  if (!c.is_postgres()) std::filesystem::create_directories(c.data_dir, ec);
  auto app = App::open(c, migrate);
  if (!app) {
    std::cerr << "lỗi: " << app.error().message << "\n";
    return nullptr;
  }
  return std::move(*app);
}

int cmd_serve(const Config& c) {
  auto app = open_app(c, true);
  if (!app) return 1;
  auto server = app->make_server();
  if (auto st = server->bind(); !st) return fail(st.error().message);
  if (c.workers > 0) app->jobs->start(c.workers);
  pbgdpl::core::log_info("pbgdpl {} serving http://{}:{} database={} threads={}", PBGDPL_VERSION,
                         c.listen.substr(0, c.listen.rfind(':')), server->port(), app->db->describe(),
                         c.threads ? c.threads : static_cast<int>(std::thread::hardware_concurrency()));
  server->run();
  app->jobs->stop();
  pbgdpl::core::log_info("pbgdpl stopped");
  return 0;
}

int cmd_worker(const Config& c) {
  auto app = open_app(c, false);
  if (!app) return 1;
  int n = c.workers > 0 ? c.workers : 2;
  app->jobs->start(n);
  pbgdpl::core::log_info("pbgdpl worker running {} threads on {}", n, app->db->describe());
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int sig = 0;
  sigwait(&set, &sig);
  pbgdpl::core::log_info("signal {}: finishing current jobs", sig);
  app->jobs->stop();
  return 0;
}

int cmd_user_add(const Config& c, const Args& a) {
  if (flag(a, "email").empty() && flag(a, "phone").empty()) return fail("cần --email hoặc --phone");
  if (flag(a, "role").empty()) return fail("cần --role (ví dụ: system_admin, unit_admin, editor, approver, citizen)");
  std::string password;
  if (isatty(STDIN_FILENO)) std::cerr << "Mật khẩu: ";
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto app = open_app(c, false);
  if (!app) return 1;
  pbgdpl::accounts::UserInput in{flag(a, "email"), flag(a, "phone"), flag(a, "name"), flag(a, "org"), flag(a, "role"), password};
  pbgdpl::accounts::Actor actor;
  actor.name = "cli";
  auto u = app->accounts->create_user(pbgdpl::accounts::Service::system_principal(), actor, in);
  if (!u) return fail(u.error().message);
  std::cout << "Đã tạo tài khoản #" << u->id << " " << (u->email.empty() ? u->phone : u->email) << "\n";
  return 0;
}

int cmd_admin_init(const Config& c, const Args& a) {
  auto app = open_app(c, true);
  if (!app) return 1;
  std::string email = flag(a, "email").empty() ? "admin@localhost.localdomain" : flag(a, "email");
  std::string password;
  bool generated = false;
  if (const char* p = std::getenv("PBGDPL_ADMIN_PASSWORD"); p && *p) {
    password = p;
  } else {
    password = pbgdpl::core::random_token(12);
    generated = true;
  }
  auto made = app->accounts->ensure_admin(email, password);
  if (!made) return fail(made.error().message);
  if (!*made) {
    std::cout << "Đã có quản trị hệ thống; không tạo thêm.\n";
    return 0;
  }
  std::cout << "Đã tạo quản trị hệ thống: " << email << "\n";
  if (generated)
    std::cout << "Mật khẩu (chỉ hiển thị một lần, hãy lưu lại): " << password << "\n";
  return 0;
}

int cmd_org_import(const Config& c, const Args& a) {
  if (a.positional.size() < 3) return fail("cần đường dẫn tệp: pbgdpl org import FILE.csv");
  std::ifstream in(a.positional[2], std::ios::binary);
  if (!in) return fail("không mở được tệp " + a.positional[2]);
  std::stringstream ss;
  ss << in.rdbuf();
  auto app = open_app(c, false);
  if (!app) return 1;
  pbgdpl::accounts::Actor actor;
  actor.name = "cli";
  auto rep = app->accounts->import_orgs_csv(pbgdpl::accounts::Service::system_principal(), actor, ss.str());
  if (!rep) return fail(rep.error().message);
  std::cout << "Đã nhập: " << rep->created << " đơn vị mới, " << rep->updated << " đơn vị cập nhật.\n";
  return 0;
}

int cmd_sample(const Config& c) {
  auto app = open_app(c, true);
  if (!app) return 1;
  auto rep = app->load_sample();
  if (!rep) return fail(rep.error().message);
  std::cout << "Nội dung mẫu: " << rep->orgs.created << " đơn vị mới, " << rep->orgs.updated << " đơn vị cập nhật; "
            << rep->documents_created << " văn bản mới, " << rep->documents_updated << " văn bản cập nhật; "
            << rep->items_created << " tin bài, tài liệu mới.\n";
  return 0;
}

int cmd_backup(const Config& c, const Args& a) {
  std::string to = flag(a, "to");
  if (to.empty()) return fail("cần --to FILE");
  auto app = open_app(c, false);
  if (!app) return 1;
  if (app->db->backend() == pbgdpl::storage::Backend::Postgres) {
    std::cout << "PostgreSQL: hãy sao lưu bằng pg_dump, ví dụ:\n  pg_dump --format=custom --file=" << to << " '"
              << app->db->describe() << "'\n";
    return 0;
  }
  auto st = app->db->backup_to(to);
  if (!st) return fail(st.error().message);
  std::cout << "Đã sao lưu vào " << to << " (" << std::filesystem::file_size(to) << " byte).\n";
  return 0;
}

int cmd_audit_verify(const Config& c) {
  auto app = open_app(c, false);
  if (!app) return 1;
  auto rep = app->accounts->audit_verify();
  if (!rep) return fail(rep.error().message);
  if (rep->ok) {
    std::cout << "Nhật ký toàn vẹn: " << rep->rows << " dòng, chuỗi mã băm khớp.\n";
    return 0;
  }
  std::cout << "PHÁT HIỆN NHẬT KÝ BỊ THAY ĐỔI (" << rep->problems.size() << " vấn đề, " << rep->rows << " dòng):\n";
  for (const auto& p : rep->problems) std::cout << "  - " << p << "\n";
  return 1;
}

int cmd_migrate(const Config& c) {
  std::error_code ec;
  if (!c.is_postgres()) std::filesystem::create_directories(c.data_dir, ec);
  auto db = pbgdpl::storage::Database::open(c.database_url(), 1);
  if (!db) return fail(db.error().message);
  App::register_assets();
  auto n = pbgdpl::storage::migrate(**db, App::modules(), [](const pbgdpl::storage::Migration& m) {
    std::cout << "  áp dụng " << m.module << "/" << m.name << "\n";
  });
  if (!n) return fail(n.error().message);
  std::cout << "Đã áp dụng " << *n << " migration; cơ sở dữ liệu " << (*db)->describe() << " đã cập nhật.\n";
  return 0;
}

// A progress line on stderr: a bar when stderr is a terminal, else a line every 10 %.
class Progress {
 public:
  Progress(std::string what, size_t total) : what_(std::move(what)), total_(total), tty_(isatty(STDERR_FILENO)) {}
  void step(size_t done, const std::string& item) {
    if (total_ == 0) return;
    size_t pct = done * 100 / total_;
    if (tty_) {
      size_t fill = pct / 5;
      std::cerr << "\r" << what_ << " [" << std::string(fill, '#') << std::string(20 - fill, '.') << "] " << done << "/"
                << total_ << " " << item.substr(0, 40) << "\x1b[K" << std::flush;
      if (done == total_) std::cerr << "\n";
    } else if (pct / 10 != last_ / 10 || done == total_) {
      std::cerr << what_ << ": " << done << "/" << total_ << " (" << pct << "%)\n";
    }
    last_ = pct;
  }

 private:
  std::string what_;
  size_t total_;
  bool tty_;
  size_t last_ = 0;
};

int cmd_library_import(const Config& c, const Args& a) {
  std::vector<std::string> paths(a.positional.begin() + 2, a.positional.end());
  if (paths.empty()) return fail("cần ít nhất một tệp hoặc thư mục: pbgdpl library import PATH…");
  pbgdpl::law::ImportOptions opt;
  opt.format = flag(a, "format");
  opt.status = flag(a, "status");
  if (!opt.format.empty() && opt.format != "alqac" && opt.format != "json")
    return fail("--format chỉ nhận alqac hoặc json");
  if (!opt.status.empty() && !pbgdpl::law::valid_code(pbgdpl::law::statuses(), opt.status))
    return fail("--status không hợp lệ (con_hieu_luc, het_hieu_luc, het_hieu_luc_mot_phan, chua_co_hieu_luc, ngung_hieu_luc)");
  auto app = open_app(c, true);
  if (!app) return 1;
  auto files = pbgdpl::law::expand_import_paths(paths, opt);
  pbgdpl::accounts::Actor actor;
  actor.name = "cli";
  size_t created = 0, updated = 0, unchanged = 0, articles = 0;
  std::vector<std::string> failures;
  Progress bar("Nhập văn bản", files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    auto docs = pbgdpl::law::read_import_file(files[i], opt);
    if (!docs) {
      failures.push_back(docs.error().message);
    } else {
      for (auto& d : *docs) {
        auto r = app->law->import(actor, d);
        if (!r) {
          failures.push_back(files[i] + " (" + d.meta.title + "): " + r.error().message);
          continue;
        }
        articles += r->articles;
        if (r->outcome == pbgdpl::law::ImportOutcome::Created) ++created;
        else if (r->outcome == pbgdpl::law::ImportOutcome::Updated) ++updated;
        else ++unchanged;
      }
    }
    bar.step(i + 1, std::filesystem::path(files[i]).filename().string());
  }
  // Index what was imported (the jobs were queued in each document's transaction).
  auto counts = app->jobs->counts();
  size_t queued = counts ? static_cast<size_t>(counts->queued) : 0;
  Progress ibar("Lập chỉ mục", queued);
  size_t done = 0;
  for (;;) {
    auto r = app->jobs->run_one();
    if (!r || !*r) break;
    ibar.step(std::min(++done, queued), "");
  }
  std::cout << "Đã nhập " << files.size() << " tệp: " << created << " văn bản mới, " << updated << " cập nhật, "
            << unchanged << " không đổi; " << articles << " điều.\n";
  if (!failures.empty()) {
    std::cout << failures.size() << " lỗi:\n";
    for (const auto& f : failures) std::cout << "  - " << f << "\n";
    return 1;
  }
  return 0;
}

int cmd_search_reindex(const Config& c) {
  auto app = open_app(c, false);
  if (!app) return 1;
  std::unique_ptr<Progress> p;
  auto n = app->law->reindex([&](size_t done, size_t total) {
    if (!p) p = std::make_unique<Progress>("Lập lại chỉ mục", total);
    p->step(done, "");
  });
  if (!n) return fail(n.error().message);
  std::cout << "Đã lập lại chỉ mục cho " << *n << " văn bản.\n";
  return 0;
}

int cmd_search_query(const Config& c, const Args& a) {
  if (a.positional.size() < 3) return fail("cần nội dung tìm: pbgdpl search query \"quyền sử dụng đất\"");
  auto app = open_app(c, false);
  if (!app) return 1;
  pbgdpl::law::SearchRequest r;
  for (size_t i = 2; i < a.positional.size(); ++i) r.q += (i > 2 ? " " : "") + a.positional[i];
  r.level = flag(a, "level") == "document" ? "document" : "article";
  r.all_statuses = true;
  auto res = app->law->search(r);
  if (!res) return fail(res.error().message);
  std::cout << "Khoảng " << res->total << " kết quả\n";
  for (const auto& h : res->hits) {
    auto p = nlohmann::json::parse(h.payload, nullptr, false);
    std::cout << "  " << h.score << "  " << p.value("title", "") << (r.level == "article" ? " – Điều " + p.value("article", "") : "")
              << "\n";
  }
  return 0;
}

int cmd_contest_bank_import(const Config& c, const Args& a) {
  if (a.positional.size() != 4) return fail("cần đúng một tệp: pbgdpl contest bank import FILE --format csv|xlsx|json|alqac");
  std::string path = a.positional[3], format = flag(a, "format");
  if (format.empty()) {
    auto ext = std::filesystem::path(path).extension().string();
    format = ext.empty() ? "" : ext.substr(1);
  }
  if (format != "csv" && format != "xlsx" && format != "json" && format != "alqac")
    return fail("--format chỉ nhận csv, xlsx, json hoặc alqac");
  auto parsed = pbgdpl::contest::read_bank_file(path, format);
  if (!parsed) return fail(parsed.error().message);
  if (!parsed->errors.empty()) {
    std::cerr << "lỗi: tệp có " << parsed->errors.size() << " câu không hợp lệ, chưa nhập câu nào:\n";
    for (const auto& e : parsed->errors) std::cerr << "  - " << e << "\n";
    return 1;
  }
  auto app = open_app(c, true);
  if (!app) return 1;
  pbgdpl::accounts::Actor actor;
  actor.name = "cli";
  auto rep = app->contest->import_questions(pbgdpl::accounts::Service::system_principal(), actor, std::move(parsed->questions));
  if (!rep) return fail(rep.error().message);
  if (!rep->errors.empty()) {
    std::cerr << "lỗi: " << rep->errors.size() << " câu không hợp lệ, chưa nhập câu nào:\n";
    for (const auto& e : rep->errors) std::cerr << "  - " << e << "\n";
    return 1;
  }
  std::cout << "Đã nhập ngân hàng câu hỏi: " << rep->created << " câu mới, " << rep->updated << " cập nhật (" << rep->versioned
            << " thành phiên bản mới), " << rep->unchanged << " không đổi";
  if (parsed->skipped) std::cout << "; bỏ qua " << parsed->skipped << " câu tự luận";
  std::cout << ".\n";
  return 0;
}

int cmd_contest_create(const Config& c, const Args& a) {
  auto from = flag(a, "from");
  if (from.empty()) return fail("cần tệp định nghĩa: pbgdpl contest create --from FILE.json");
  std::ifstream in(from, std::ios::binary);
  if (!in) return fail("không mở được tệp " + from);
  std::stringstream ss;
  ss << in.rdbuf();
  auto def = nlohmann::json::parse(ss.str(), nullptr, false);
  if (def.is_discarded()) return fail(from + " không phải JSON hợp lệ");
  auto app = open_app(c, true);
  if (!app) return 1;
  pbgdpl::accounts::Actor actor;
  actor.name = "cli";
  auto k = app->contest->create_contest(pbgdpl::accounts::Service::system_principal(), actor, def);
  if (!k) return fail(k.error().message + (k.error().field.empty() ? "" : " (" + k.error().field + ")"));
  std::cout << k->id << "\n";
  return 0;
}

int cmd_contest_publish(const Config& c, const Args& a) {
  if (a.positional.size() != 3) return fail("cần mã cuộc thi: pbgdpl contest publish ID");
  auto app = open_app(c, false);
  if (!app) return 1;
  pbgdpl::accounts::Actor actor;
  actor.name = "cli";
  auto st = app->contest->set_published(pbgdpl::accounts::Service::system_principal(), actor,
                                        std::atoll(a.positional[2].c_str()), true);
  if (!st) return fail(st.error().message);
  std::cout << "Đã công bố cuộc thi " << a.positional[2] << ".\n";
  return 0;
}

int cmd_contest_rank(const Config& c, const Args& a) {
  if (a.positional.size() != 3) return fail("cần mã cuộc thi: pbgdpl contest rank ID");
  auto app = open_app(c, false);
  if (!app) return 1;
  auto rk = app->contest->ranking(std::atoll(a.positional[2].c_str()), std::atoll(flag(a, "round").c_str()));
  if (!rk) return fail(rk.error().message);
  auto format = flag(a, "format");
  if (format == "json") {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : rk->rows)
      rows.push_back({{"rank", r.rank}, {"attempt_id", r.attempt_id}, {"name", r.name}, {"score", r.score},
                      {"prediction", r.prediction ? nlohmann::json(*r.prediction) : nlohmann::json()},
                      {"time_used_ms", r.time_used_ms}, {"submitted_at", r.submitted_at}, {"receipt", r.receipt},
                      {"prize", r.prize}});
    std::cout << nlohmann::json{{"round_id", rk->round_id}, {"frozen", rk->frozen},
                                {"actual_participants", rk->actual_participants}, {"rows", rows}}.dump(2) << "\n";
    return 0;
  }
  bool csv = format == "csv";
  if (!csv) {
    std::cout << "Vòng " << rk->round_id << (rk->frozen ? " (đã chốt)" : " (tạm thời)") << ", " << rk->actual_participants
              << " người tham gia. Tiêu chí:";
    for (auto t : rk->tie_breakers) std::cout << " " << pbgdpl::contest::tiebreak_code(t);
    std::cout << "\n";
  } else {
    std::cout << "rank,attempt_id,name,score,prediction,time_used_ms,submitted_at,receipt,prize\n";
  }
  for (const auto& r : rk->rows) {
    std::string pred = r.prediction ? std::to_string(static_cast<long long>(*r.prediction)) : "";
    if (csv)
      std::cout << r.rank << "," << r.attempt_id << ",\"" << r.name << "\"," << r.score << "," << pred << "," << r.time_used_ms
                << "," << r.submitted_at << "," << r.receipt << ",\"" << r.prize << "\"\n";
    else
      std::cout << r.rank << "\t" << r.score << "\t" << pred << "\t" << r.time_used_ms << "ms\t" << r.name << "\t"
                << r.receipt.substr(0, 16) << "\t" << r.prize << "\n";
  }
  return 0;
}

int cmd_jobs_run(const Config& c) {
  auto app = open_app(c, false);
  if (!app) return 1;
  int n = app->jobs->drain();
  std::cout << "Đã chạy " << n << " việc.\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pbgdpl::core::crypto_init();
  Args a = parse_args(argc, argv);
  std::string cmd = a.positional.empty() ? "" : a.positional[0];
  std::string sub = a.positional.size() > 1 ? a.positional[1] : "";
  if (cmd.empty() || cmd == "help" || (a.flags.count("help") && cmd.empty())) {
    std::cout << kHelp;
    for (const auto& k : Config::keys()) std::cout << "  " << k << "\n";
    return cmd.empty() && !a.flags.count("help") ? 2 : 0;
  }
  if (a.flags.count("help")) {
    std::cout << kHelp;
    return 0;
  }
  if (cmd == "version") {
    std::cout << "pbgdpl " << PBGDPL_VERSION << "\n";
    return 0;
  }
  auto cfg = load_config(a);
  if (!cfg) return fail(cfg.error().message);
  pbgdpl::core::set_log_level(cfg->log_level);
  if (cmd == "serve") return cmd_serve(*cfg);
  if (cmd == "worker") return cmd_worker(*cfg);
  if (cmd == "migrate") return cmd_migrate(*cfg);
  if (cmd == "admin" && sub == "init") return cmd_admin_init(*cfg, a);
  if (cmd == "user" && sub == "add") return cmd_user_add(*cfg, a);
  if (cmd == "org" && sub == "import") return cmd_org_import(*cfg, a);
  if (cmd == "sample" && sub == "load") return cmd_sample(*cfg);
  if (cmd == "backup") return cmd_backup(*cfg, a);
  if (cmd == "audit" && sub == "verify") return cmd_audit_verify(*cfg);
  if (cmd == "jobs" && sub == "run") return cmd_jobs_run(*cfg);
  if (cmd == "contest" && sub == "bank" && a.positional.size() > 2 && a.positional[2] == "import")
    return cmd_contest_bank_import(*cfg, a);
  if (cmd == "contest" && sub == "create") return cmd_contest_create(*cfg, a);
  if (cmd == "contest" && sub == "publish") return cmd_contest_publish(*cfg, a);
  if (cmd == "contest" && sub == "rank") return cmd_contest_rank(*cfg, a);
  if (cmd == "library" && sub == "import") return cmd_library_import(*cfg, a);
  if (cmd == "search" && sub == "reindex") return cmd_search_reindex(*cfg);
  if (cmd == "search" && sub == "query") return cmd_search_query(*cfg, a);
  std::cerr << "lỗi: lệnh không được hỗ trợ: " << cmd << (sub.empty() ? "" : " " + sub) << "\nXem: pbgdpl --help\n";
  return 2;
}
