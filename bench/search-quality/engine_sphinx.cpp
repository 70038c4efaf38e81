// Peer: Sphinx 2.2 (Debian sphinxsearch), configured for Vietnamese.
//   - the corpus goes to DIR/corpus.tsv (id, heading, body; text brought to NFC, because
//     Sphinx does not normalize and some ALQAC articles carry combining marks) and is indexed
//     by `indexer --all` from a tsvpipe source;
//   - charset_table: digits, ASCII letters folded to lower case, and every Vietnamese letter
//     with tone/hat marks (lower and upper case) plus đ/Đ mapped to its base letter, written
//     out as U+XXXX->U+YYYY entries; ignore_chars = U+AD (soft hyphen); min_word_len 1,
//     html_strip 0, morphology none, index_field_lengths 1;
//   - searchd on a free 127.0.0.1 port (mysql41 protocol only), pid/log/binlog in DIR, stopped
//     with `searchd --stopwait` when the engine goes away;
//   - query over SphinxQL (libmariadb): MATCH('w1 | w2 | ...') with the question's words,
//     special characters escaped, ranked by real BM25F (k1 1.2, b 0.75, heading 2, body 1):
//     OPTION ranker=expr('10000*bm25f(1.2, 0.75, {heading=2, body=1})').
//     Not ranker=bm25: that built-in is sum(weights of the matched fields)*1000 + Sphinx's
//     quick bm25 factor (no field-length normalization; bm25a/bm25f are the full formulas and
//     need index_field_lengths), so with OR queries it sorts first by "matched the heading
//     too". Tune split, nDCG@10 as written: bm25 0.660, proximity_bm25 0.460, sph04 0.673,
//     bm25f 0.826 (the proximity rankers suffer from the long, repetitive queries).
#include <arpa/inet.h>
#include <mysql.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "common.h"
#include "peer_text.h"
#include "text/normalize.h"

namespace bench {
namespace {

using peer_text::words;
using pbgdpl::text::nfc;

/// Sphinx query syntax characters get a backslash; the SphinxQL string literal then needs
/// that backslash (and any quote) escaped once more.
std::string sphinx_escape(const std::string& w) {
  std::string out;
  for (char c : w) {
    if (c == '\'') out += "\\'";  // SQL quote: \'
    else if (std::string_view("\\()|-!@~\"&/^$=<>").find(c) != std::string_view::npos) out += std::string("\\\\") + c;
    else out += c;
  }
  return out;
}

/// charset_table for Vietnamese: every lower-case letter with diacritics below and its upper
/// case (ICU) map to the base letter.
std::string charset_table() {
  static const std::pair<char, const char*> kLetters[] = {
      {'a', "àáảãạăằắẳẵặâầấẩẫậ"}, {'e', "èéẻẽẹêềếểễệ"}, {'i', "ìíỉĩị"},
      {'o', "òóỏõọôồốổỗộơờớởỡợ"}, {'u', "ùúủũụưừứửữự"}, {'y', "ỳýỷỹỵ"},
      {'d', "đð"},  // ð/Ð (U+00F0/U+00D0) stand in for đ/Đ in a few texts
  };
  std::set<std::pair<UChar32, char>> maps;
  for (const auto& [base, letters] : kLetters) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(letters);
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
      UChar32 cp = u.char32At(i);
      maps.insert({cp, base});
      maps.insert({u_toupper(cp), base});
    }
  }
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

std::string clean_field(const std::string& s) {
  std::string out = nfc(s);
  for (char& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
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

class SphinxEngine final : public Engine {
 public:
  explicit SphinxEngine(std::string dir) : dir_(std::filesystem::absolute(dir).string()) {}
  ~SphinxEngine() override {
    if (mysql_) mysql_close(mysql_);
    if (started_)
      (void)std::system(("/usr/bin/searchd --config " + quote(conf_) + " --stopwait >>" + quote(dir_ + "/searchd.out") +
                         " 2>&1")
                            .c_str());
  }
  std::string name() const override { return "Sphinx 2.2 (BM25F)"; }

  std::string build(const std::vector<Article>& corpus) override {
    if (!std::filesystem::exists("/usr/bin/indexer") || !std::filesystem::exists("/usr/bin/searchd"))
      return "sphinxsearch not installed (/usr/bin/indexer, /usr/bin/searchd)";
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    std::filesystem::create_directories(dir_ + "/binlog", ec);
    if (ec) return "mkdir " + dir_ + ": " + ec.message();
    {
      std::ofstream tsv(dir_ + "/corpus.tsv");
      keys_.clear();
      for (const auto& a : corpus) {
        keys_.push_back(a.key());
        tsv << keys_.size() << '\t' << clean_field(a.heading) << '\t' << clean_field(a.body) << '\n';
      }
      if (!tsv) return "write corpus.tsv failed";
    }
    port_ = free_port();
    if (!port_) return "no free loopback port";
    conf_ = dir_ + "/sphinx.conf";
    {
      std::ofstream c(conf_);
      c << "source src\n{\n"
        << "    type = tsvpipe\n"
        << "    tsvpipe_command = cat " << quote(dir_ + "/corpus.tsv") << "\n"
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
        << "indexer\n{\n    mem_limit = 256M\n}\n\n"
        << "searchd\n{\n"
        << "    listen = 127.0.0.1:" << port_ << ":mysql41\n"
        << "    log = " << dir_ << "/searchd.log\n"
        << "    query_log = " << dir_ << "/query.log\n"
        << "    pid_file = " << dir_ << "/searchd.pid\n"
        << "    binlog_path = " << dir_ << "/binlog\n"
        << "    workers = threads\n"
        << "    read_timeout = 5\n}\n";
      if (!c) return "write sphinx.conf failed";
    }
    std::string log = dir_ + "/indexer.log";
    if (std::system(("/usr/bin/indexer --all --config " + quote(conf_) + " >" + quote(log) + " 2>&1").c_str()) != 0)
      return "indexer failed, see " + log;
    log = dir_ + "/searchd.out";
    if (std::system(("/usr/bin/searchd --config " + quote(conf_) + " >" + quote(log) + " 2>&1").c_str()) != 0)
      return "searchd failed to start, see " + log;
    started_ = true;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    std::string last;
    while (std::chrono::steady_clock::now() < deadline) {
      mysql_ = mysql_init(nullptr);
      unsigned timeout = 2;
      mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
      if (mysql_real_connect(mysql_, "127.0.0.1", "", "", nullptr, static_cast<unsigned>(port_), nullptr, 0))
        return {};
      last = mysql_error(mysql_);
      mysql_close(mysql_);
      mysql_ = nullptr;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "cannot connect to searchd on 127.0.0.1:" + std::to_string(port_) + ": " + last;
  }

  std::vector<std::string> search(const std::string& query, size_t k) override {
    std::vector<std::string> out;
    std::string expr;
    std::set<std::string> seen;
    for (const auto& w : words(nfc(query))) {
      if (!seen.insert(w).second) continue;  // bm25f ignores repeats; they only cost time
      if (!expr.empty()) expr += " | ";
      expr += sphinx_escape(w);
    }
    if (expr.empty() || !mysql_) return out;
    std::string n = std::to_string(std::max<size_t>(k, 1));
    std::string sql = "SELECT id, WEIGHT() FROM idx WHERE MATCH('" + expr + "') ORDER BY WEIGHT() DESC, id ASC LIMIT " +
                      n + " OPTION ranker=expr('10000*bm25f(1.2, 0.75, {heading=2, body=1})'), max_matches=" + n;
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      if (!warned_) std::fprintf(stderr, "sphinx: %s\n", mysql_error(mysql_));
      warned_ = true;
      return out;
    }
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (!res) return out;
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
      long id = row[0] ? std::strtol(row[0], nullptr, 10) : 0;
      if (id >= 1 && static_cast<size_t>(id) <= keys_.size()) out.push_back(keys_[static_cast<size_t>(id) - 1]);
    }
    mysql_free_result(res);
    return out;
  }

 private:
  std::string dir_, conf_;
  int port_ = 0;
  bool started_ = false, warned_ = false;
  MYSQL* mysql_ = nullptr;
  std::vector<std::string> keys_;  ///< id - 1 → article key
};

}  // namespace

std::unique_ptr<Engine> make_sphinx_engine(const std::string& dir) { return std::make_unique<SphinxEngine>(dir); }

}  // namespace bench
