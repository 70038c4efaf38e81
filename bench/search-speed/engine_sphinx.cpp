// Peer: Sphinx 2.2 (Debian sphinxsearch), configured as in bench/search-quality:
//   plain index from a tsvpipe source (`cut -f1,4,5 corpus.tsv`: id, heading, body);
//   charset_table = digits, ASCII letters lower-cased, and every Latin letter whose
//   text::fold is one ASCII letter mapped to it (all Vietnamese tone/hat letters, đ/Đ → d);
//   ignore_chars U+AD, min_word_len 1, morphology none, index_field_lengths 1;
//   searchd on a free 127.0.0.1 port (mysql41 only, workers = threads), started by the
//   query process and stopped with --stopwait when it ends; SphinxQL over libmariadb:
//   MATCH('w1 | w2 | …') (distinct words),
//   OPTION ranker=expr('10000*bm25f(1.2, 0.75, {heading=2, body=1})'), max_matches=10 — the
//   ranking chosen on the tune split in bench/search-quality (ranker=bm25 sorts first by
//   "matched the heading too" and scores far lower). One connection per client thread.
#include <arpa/inet.h>
#include <mysql.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "peer_text.h"
#include "speed.h"
#include "text/normalize.h"

namespace speed {
namespace {

std::string utf8(char32_t cp) {
  std::string s;
  if (cp < 0x80) s += static_cast<char>(cp);
  else if (cp < 0x800) s += static_cast<char>(0xC0 | (cp >> 6)), s += static_cast<char>(0x80 | (cp & 0x3F));
  else
    s += static_cast<char>(0xE0 | (cp >> 12)), s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
        s += static_cast<char>(0x80 | (cp & 0x3F));
  return s;
}

std::string charset_table() {
  std::map<char32_t, char> maps;
  auto add_range = [&](char32_t a, char32_t b) {
    for (char32_t cp = a; cp <= b; ++cp) {
      auto f = pbgdpl::text::fold(utf8(cp));
      if (f.size() == 1 && f[0] >= 'a' && f[0] <= 'z') maps[cp] = f[0];
    }
  };
  add_range(0xC0, 0x24F);
  add_range(0x1E00, 0x1EFF);
  maps[0xD0] = 'd';  // Ð stands in for Đ in a few texts
  maps[0xF0] = 'd';
  std::string out = "0..9, A..Z->a..z, a..z";
  char buf[32];
  int n = 0;
  for (const auto& [cp, base] : maps) {
    std::snprintf(buf, sizeof buf, "U+%04X->U+%04X", static_cast<unsigned>(cp), static_cast<unsigned>(base));
    out += (n++ % 8 == 0) ? ", \\\n    " : ", ";
    out += buf;
  }
  return out;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string sphinx_escape(const std::string& w) {
  std::string out;
  for (char c : w) {
    if (c == '\'') out += "\\'";
    else if (std::string_view("\\()|-!@~\"&/^$=<>").find(c) != std::string_view::npos) out += std::string("\\\\") + c;
    else out += c;
  }
  return out;
}

MYSQL* connect(int port) {
  MYSQL* m = mysql_init(nullptr);
  unsigned timeout = 2;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  if (mysql_real_connect(m, "127.0.0.1", "", "", nullptr, static_cast<unsigned>(port), nullptr, 0)) return m;
  mysql_close(m);
  return nullptr;
}

class SphinxClient final : public Client {
 public:
  explicit SphinxClient(int port) : m_(connect(port)) {
    if (!m_) std::fprintf(stderr, "sphinx: cannot connect to 127.0.0.1:%d\n", port);
  }
  ~SphinxClient() override {
    if (m_) mysql_close(m_);
  }
  size_t search(const std::string& q) override {
    if (!m_) return 0;
    std::string expr;
    for (const auto& w : peer_text::distinct_words(pbgdpl::text::nfc(q))) {
      if (!expr.empty()) expr += " | ";
      expr += sphinx_escape(w);
    }
    if (expr.empty()) return 0;
    std::string sql = "SELECT id, WEIGHT() FROM idx WHERE MATCH('" + expr +
                      "') ORDER BY WEIGHT() DESC, id ASC LIMIT 10 OPTION "
                      "ranker=expr('10000*bm25f(1.2, 0.75, {heading=2, body=1})'), max_matches=10";
    if (mysql_real_query(m_, sql.data(), sql.size()) != 0) {
      if (!warned_) std::fprintf(stderr, "sphinx: %s\n", mysql_error(m_));
      warned_ = true;
      return 0;
    }
    MYSQL_RES* res = mysql_store_result(m_);
    if (!res) return 0;
    size_t n = 0;
    while (mysql_fetch_row(res)) ++n;
    mysql_free_result(res);
    return n;
  }

 private:
  MYSQL* m_;
  bool warned_ = false;
};

class SphinxEngine final : public Engine {
 public:
  explicit SphinxEngine(const EngineConfig& c) : dir_(std::filesystem::absolute(c.work + "/sphinx").string()) {}
  ~SphinxEngine() override {
    if (started_)
      (void)std::system(("/usr/bin/searchd --config " + quote(dir_ + "/sphinx.conf") + " --stopwait >>" +
                         quote(dir_ + "/searchd.out") + " 2>&1")
                            .c_str());
  }
  std::string name() const override { return "Sphinx 2.2"; }

  std::string build(const std::string& corpus) override {
    if (!std::filesystem::exists("/usr/bin/indexer")) return "sphinxsearch not installed";
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    std::filesystem::create_directories(dir_ + "/binlog", ec);
    int port = free_port();
    if (!port) return "no free loopback port";
    std::string abs_corpus = std::filesystem::absolute(corpus).string();
    {
      std::ofstream c(dir_ + "/sphinx.conf");
      c << "source src\n{\n"
        << "    type = tsvpipe\n"
        << "    tsvpipe_command = cut -f1,4,5 " << quote(abs_corpus) << "\n"
        << "    tsvpipe_field = heading\n"
        << "    tsvpipe_field = body\n}\n\n"
        << "index idx\n{\n"
        << "    type = plain\n"
        << "    source = src\n"
        << "    path = " << dir_ << "/idx\n"
        << "    docinfo = extern\n"
        << "    min_word_len = 1\n"
        << "    html_strip = 0\n"
        << "    morphology = none\n"
        << "    index_field_lengths = 1\n"
        << "    ignore_chars = U+AD\n"
        << "    charset_table = " << charset_table() << "\n}\n\n"
        << "indexer\n{\n    mem_limit = 1024M\n}\n\n"
        << "searchd\n{\n"
        << "    listen = 127.0.0.1:" << port << ":mysql41\n"
        << "    log = " << dir_ << "/searchd.log\n"
        << "    query_log = " << dir_ << "/query.log\n"
        << "    pid_file = " << dir_ << "/searchd.pid\n"
        << "    binlog_path = " << dir_ << "/binlog\n"
        << "    workers = threads\n"
        << "    read_timeout = 5\n}\n";
      if (!c) return "write sphinx.conf failed";
    }
    std::ofstream(dir_ + "/port") << port;
    std::string log = dir_ + "/indexer.log";
    if (std::system(("/usr/bin/indexer --all --config " + quote(dir_ + "/sphinx.conf") + " >" + quote(log) + " 2>&1")
                        .c_str()) != 0)
      return "indexer failed, see " + log;
    return {};
  }

  std::string open() override {
    mysql_library_init(0, nullptr, nullptr);
    std::ifstream(dir_ + "/port") >> port_;
    if (!port_) return "not built";
    std::string log = dir_ + "/searchd.out";
    if (std::system(("/usr/bin/searchd --config " + quote(dir_ + "/sphinx.conf") + " >" + quote(log) + " 2>&1").c_str()) !=
        0)
      return "searchd failed to start, see " + log;
    started_ = true;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (MYSQL* m = connect(port_)) {
        mysql_close(m);
        return {};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "cannot connect to searchd on 127.0.0.1:" + std::to_string(port_);
  }
  std::unique_ptr<Client> client() override { return std::make_unique<SphinxClient>(port_); }

  uint64_t disk_bytes() override {
    uint64_t n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_, ec))
      if (e.path().filename().string().rfind("idx.", 0) == 0) n += du(e.path().string());
    return n;
  }
  std::vector<pid_t> server_pids() override {
    std::ifstream f(dir_ + "/searchd.pid");
    long pid = 0;
    f >> pid;
    return pid > 0 ? std::vector<pid_t>{static_cast<pid_t>(pid)} : std::vector<pid_t>{};
  }
  std::string notes() const override { return "server; charset_table folding, expr ranker bm25f(1.2, 0.75, heading 2 body 1), OR of distinct words"; }

 private:
  std::string dir_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<Engine> make_sphinx_engine(const EngineConfig& c) { return std::make_unique<SphinxEngine>(c); }

}  // namespace speed
