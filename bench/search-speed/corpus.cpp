// The deterministic generator: real sentences, headings and law titles recombined into a
// corpus of any size, and real ALQAC questions sampled into a query stream.
//
// Sources: ALQAC law.json (17 laws, 2,249 articles) and the 109 VLC texts, split into
// articles by law::parse_text / law::articles. From them:
//   - headings: every article title (deduplicated);
//   - sentences: every line of an article's text (its own text, khoản and điểm), NFC, with
//     the leading "1." / "a)" numbering dropped, 20–1,200 bytes, deduplicated;
//   - titles: every law title ("Luật Du lịch", "Bộ luật Dân sự", …).
// A synthetic article is one heading and 3–8 sentences drawn with a splitmix64 PRNG seeded
// with a fixed value, numbered like khoản ("1. …"). Every 200 consecutive articles form a
// synthetic law whose title is a real title (60%), or a real title "và" the subject of
// another (40%), sometimes with " (sửa đổi)" or " năm YYYY" appended.
//
// Queries: each drawn question (uniform over train.json) yields either the question with its
// choices (kind "long", what the quality benchmark sends) or 3–8 consecutive words of it
// (kind "short", what people type into a search box), each as written or folded by
// text::fold (no diacritics), half and half.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_set>

#include "law/parser.h"
#include "speed.h"
#include "text/normalize.h"

namespace speed {
namespace law = pbgdpl::law;
namespace text = pbgdpl::text;
namespace {

struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
};

std::string trim(std::string s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return s.substr(a, b - a);
}

/// "1. Báo chí là …" → "Báo chí là …"; "a) …" / "đ) …" → "…".
std::string drop_numbering(std::string s) {
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i > 0 && i < s.size() && (s[i] == '.' || s[i] == ')')) return trim(s.substr(i + 1));
  if (s.size() > 2 && std::islower(static_cast<unsigned char>(s[0])) && s[1] == ')') return trim(s.substr(2));
  if (s.rfind("đ)", 0) == 0) return trim(s.substr(3));
  return s;
}

struct Pools {
  std::vector<std::string> headings, sentences, titles;
  std::unordered_set<std::string> seen_h, seen_s;
  std::set<std::string> seen_t;
  void heading(std::string h) {
    h = trim(text::nfc(h));
    if (h.size() >= 4 && h.size() <= 300 && seen_h.insert(h).second) headings.push_back(std::move(h));
  }
  void sentence(std::string s) {
    s = drop_numbering(trim(text::nfc(s)));
    if (s.size() >= 20 && s.size() <= 1200 && seen_s.insert(s).second) sentences.push_back(std::move(s));
  }
  void add_text(const std::string& t) {
    std::stringstream ss(t);
    std::string line;
    while (std::getline(ss, line)) sentence(line);
  }
  void title(std::string t) {
    t = trim(text::nfc(t));
    // a few VLC headers carry the whole enacting sentence ("… số 06/2003/QH11 ngày …")
    if (t.size() < 4 || t.size() > 90 || t.find_first_of("0123456789") != std::string::npos) return;
    if (seen_t.insert(t).second) titles.push_back(std::move(t));
  }
};

void collect(const law::Node& n, Pools& p) {
  p.add_text(n.text);
  for (const auto& c : n.children) collect(c, p);
}

/// "Bộ luật Dân sự" → {"Bộ luật", "Dân sự"}; "Hiến pháp" → {"Hiến pháp", ""}.
std::pair<std::string, std::string> split_title(const std::string& t) {
  for (const char* prefix : {"Bộ luật ", "Luật ", "Pháp lệnh ", "Nghị định ", "Nghị quyết "}) {
    std::string p = prefix;
    if (t.rfind(p, 0) == 0) return {p.substr(0, p.size() - 1), t.substr(p.size())};
  }
  return {t, ""};
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string w;
  while (ss >> w) out.push_back(w);
  return out;
}

}  // namespace

std::string tsv_escape(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c == '\n') c = kNewline;
    else if (c == '\t' || c == '\r') c = ' ';
  }
  return out;
}

bool read_corpus(const std::string& path, const std::function<bool(Article&)>& f) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  Article a;
  while (std::getline(in, line)) {
    size_t p[4];
    size_t from = 0;
    bool ok = true;
    for (auto& x : p) {
      x = line.find('\t', from);
      if (x == std::string::npos) {
        ok = false;
        break;
      }
      from = x + 1;
    }
    if (!ok) continue;
    a.id = std::strtoull(line.c_str(), nullptr, 10);
    a.group.assign(line, p[0] + 1, p[1] - p[0] - 1);
    a.group_title.assign(line, p[1] + 1, p[2] - p[1] - 1);
    a.heading.assign(line, p[2] + 1, p[3] - p[2] - 1);
    a.body.assign(line, p[3] + 1, std::string::npos);
    for (char& c : a.body)
      if (c == kNewline) c = '\n';
    if (!f(a)) break;
  }
  return true;
}

std::string generate(const GenOptions& o, const std::string& dir) {
  namespace fs = std::filesystem;
  Pools pools;
  // ALQAC
  std::ifstream lf(o.alqac + "/law.json");
  if (!lf) return "cannot read " + o.alqac + "/law.json";
  auto laws = nlohmann::json::parse(lf);
  for (const auto& law : laws) {
    pools.title(law["id"].get<std::string>());
    for (const auto& a : law["articles"]) {
      std::string t = a["text"].get<std::string>();
      auto nl = t.find('\n');
      pools.heading(t.substr(0, nl));
      if (nl != std::string::npos) pools.add_text(t.substr(nl + 1));
    }
  }
  // VLC, in file-name order
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(o.vlc))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  size_t vlc_articles = 0;
  for (const auto& p : files) {
    std::ifstream f(p, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto doc = law::parse_text(text);
    if (!doc.header.title.empty()) pools.title(doc.header.title);
    for (const auto* a : law::articles(doc)) {
      ++vlc_articles;
      pools.heading(a->title);
      collect(*a, pools);
    }
  }
  if (pools.sentences.empty() || pools.headings.empty() || pools.titles.empty()) return "no source text found";

  fs::create_directories(dir);
  Rng rng{o.seed};
  {
    std::ofstream out(dir + "/corpus.tsv", std::ios::binary);
    std::string title, group;
    uint64_t bytes = 0;
    for (uint64_t id = 1; id <= o.articles; ++id) {
      uint64_t g = (id - 1) / o.group_size;
      if ((id - 1) % o.group_size == 0) {
        group = "g:" + std::to_string(g + 1);
        const auto& t = pools.titles[rng.below(pools.titles.size())];
        title = t;
        if (rng.chance(0.4)) {
          auto other = split_title(pools.titles[rng.below(pools.titles.size())]).second;
          if (!other.empty() && other != split_title(t).second) title += " và " + text::lower(other);
        }
        if (rng.chance(0.15)) title += " (sửa đổi)";
        else if (rng.chance(0.15)) title += " năm " + std::to_string(1990 + rng.below(35));
      }
      std::string body;
      size_t n = 3 + rng.below(6);
      for (size_t k = 0; k < n; ++k) {
        if (k) body += '\n';
        body += std::to_string(k + 1) + ". " + pools.sentences[rng.below(pools.sentences.size())];
      }
      const auto& heading = pools.headings[rng.below(pools.headings.size())];
      std::string line = std::to_string(id) + '\t' + group + '\t' + title + '\t' + tsv_escape(heading) + '\t' +
                         tsv_escape(body) + '\n';
      bytes += line.size();
      out << line;
    }
    if (!out) return "write corpus.tsv failed";
    std::fprintf(stderr,
                 "sources: %zu ALQAC laws, %zu VLC files (%zu articles) → %zu headings, %zu sentences, %zu titles\n"
                 "corpus: %llu articles in %llu laws, %.1f MiB of text\n",
                 laws.size(), files.size(), vlc_articles, pools.headings.size(), pools.sentences.size(),
                 pools.titles.size(), static_cast<unsigned long long>(o.articles),
                 static_cast<unsigned long long>((o.articles + o.group_size - 1) / o.group_size),
                 static_cast<double>(bytes) / 1048576.0);
  }
  // Queries
  std::ifstream qf(o.alqac + "/train.json");
  if (!qf) return "cannot read " + o.alqac + "/train.json";
  auto qs = nlohmann::json::parse(qf);
  std::vector<std::string> questions, stems;
  for (const auto& q : qs) {
    std::string t = q["text"].get<std::string>();
    stems.push_back(t);
    if (q.contains("choices") && q["choices"].is_object())
      for (const auto& [k, v] : q["choices"].items())
        if (v.is_string()) t += " " + v.get<std::string>();
    questions.push_back(t);
  }
  Rng qrng{o.seed ^ 0x5157ULL};
  std::ofstream out(dir + "/queries.tsv", std::ios::binary);
  for (uint64_t i = 0; i < o.queries; ++i) {
    size_t k = qrng.below(questions.size());
    bool is_short = qrng.chance(0.5);
    bool folded = qrng.chance(0.5);
    std::string t;
    if (!is_short) {
      t = questions[k];
    } else {
      auto w = split_words(stems[k]);
      size_t len = std::min(w.size(), 3 + qrng.below(6));
      size_t start = w.size() > len ? qrng.below(w.size() - len + 1) : 0;
      for (size_t j = start; j < start + len; ++j) t += (t.empty() ? "" : " ") + w[j];
    }
    if (folded) t = text::fold(t);
    out << (is_short ? "short" : "long") << (folded ? "/folded" : "") << '\t' << tsv_escape(t) << '\n';
  }
  std::fprintf(stderr, "queries: %llu from %zu questions\n", static_cast<unsigned long long>(o.queries),
               questions.size());
  return out ? "" : "write queries.tsv failed";
}

std::vector<Query> read_queries(const std::string& path, size_t limit) {
  std::vector<Query> out;
  std::ifstream in(path);
  std::string line;
  while (out.size() < limit && std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    Query q;
    q.kind = line.substr(0, tab);
    q.folded = q.kind.find("/folded") != std::string::npos;
    if (q.folded) q.kind.resize(q.kind.find('/'));
    q.text = line.substr(tab + 1);
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace speed
