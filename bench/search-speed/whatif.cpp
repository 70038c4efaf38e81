// search-speed whatif: where the time of search::Index::search goes, and what changes would
// buy. Opens the index that `build --engine pbgdpl` made, with Xapian directly, and replays
// the steps of src/search/xapian_index.cpp as it was at 894245e (same tokenizer, terms and
// weights; one leaf per query word occurrence; a 200-deep pool for the named-law rerank)
// with a timer around each: tokenize, named-law scan over all group titles, query
// construction, get_mset, the rerank's value reads, and the page (document data, JSON,
// snippet folding). The engine now uses what the variants below showed: distinct terms
// (weighted by their count) and a page-deep match with an exact named-law boost.
// Then variants of the match step, each with its mean time and its top-10 overlap with the
// current ranking (a cheap proxy; bench/search-quality is the judge of quality).
//
//   search-speed whatif --work DIR [--queries N]
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "speed.h"
#include "text/normalize.h"
#include "text/tokenize.h"

namespace speed {
namespace {

using Clock = std::chrono::steady_clock;
namespace text = pbgdpl::text;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

bool is_question_template(const std::vector<text::Token>& toks, size_t i) {
  auto at = [&](size_t k, const char* w) { return k < toks.size() && toks[k].folded == w; };
  return (at(i, "dung") && at(i + 1, "hay") && at(i + 2, "sai")) ||
         (i > 0 && at(i - 1, "dung") && at(i, "hay") && at(i + 1, "sai")) ||
         (i > 1 && at(i - 2, "dung") && at(i - 1, "hay") && at(i, "sai"));
}

struct Variant {
  const char* name;
  bool dedupe = false;       ///< each distinct term once
  bool exact = true;         ///< Z terms
  double exact_max_df = 1;   ///< Z terms only for words rarer than this share of documents
  bool bigrams = true;       ///< B terms
  double word_max_df = 1;    ///< drop words (and their Z terms) in more than this share of documents
  size_t pool = 200;         ///< get_mset depth
  unsigned check_at_least = 1000;
};

struct Phase {
  double tokenize = 0, named = 0, build = 0, mset = 0, rerank = 0, page = 0, snippet = 0;
};

}  // namespace

int whatif(const std::string& work, size_t nq) {
  auto qs = read_queries(work + "/queries.tsv", nq);
  Xapian::Database db(work + "/pbgdpl");
  const double N = db.get_doccount();
  // groups as the engine keeps them (folded titles)
  std::unordered_map<std::string, std::string> groups;
  for (auto it = db.metadata_keys_begin("group:"); it != db.metadata_keys_end("group:"); ++it) {
    auto v = db.get_metadata(*it);
    if (!v.empty()) groups[(*it).substr(6)] = v;
  }
  std::fprintf(stderr, "index: %.0f documents, %zu groups; %zu queries\n", N, groups.size(), qs.size());

  const double bigram_scale = 1.0, exact_scale = 0.4, identifier_scale = 3.0;
  auto make_query = [&](const std::vector<text::Token>& toks, const Variant& v, size_t* nterms) {
    std::vector<Xapian::Query> words, pairs, exact, ids;
    std::set<std::string> seen;
    auto add = [&](std::vector<Xapian::Query>& to, const std::string& term) {
      if (v.dedupe && !seen.insert(term).second) return;
      to.emplace_back(term);
    };
    const text::Token* prev = nullptr;
    for (size_t i = 0; i < toks.size(); ++i) {
      const auto& t = toks[i];
      if (t.kind == text::Token::Kind::Identifier) {
        add(ids, "I" + t.folded);
        continue;
      }
      if (is_question_template(toks, i)) {
        prev = nullptr;
        continue;
      }
      double df = (v.word_max_df < 1 || v.exact_max_df < 1) ? db.get_termfreq(t.folded) / N : 0;
      if (df <= v.word_max_df) {
        add(words, t.folded);
        if (v.exact && t.has_diacritics() && df <= v.exact_max_df) add(exact, "Z" + t.exact);
      }
      if (v.bigrams && prev && prev->pos + 1 == t.pos) add(pairs, "B" + prev->folded + "_" + t.folded);
      prev = &t;
    }
    *nterms = words.size() + pairs.size() + exact.size() + ids.size();
    std::vector<Xapian::Query> parts;
    if (!words.empty()) parts.emplace_back(Xapian::Query::OP_OR, words.begin(), words.end());
    if (!pairs.empty())
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end()),
                         bigram_scale);
    if (!exact.empty())
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, exact.begin(), exact.end()),
                         exact_scale);
    if (!ids.empty())
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end()),
                         identifier_scale);
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  };

  // 1. The current path, phase by phase.
  Phase ph;
  std::vector<std::vector<Xapian::docid>> baseline;
  std::vector<std::vector<text::Token>> all_toks;
  size_t named_hits = 0, terms_total = 0, distinct_total = 0, matches_total = 0;
  const Variant current{"current (pool 200, check_at_least 1000)"};
  for (const auto& q : qs) {
    auto t = Clock::now();
    auto toks = text::tokenize(q.text);
    ph.tokenize += ms_since(t);

    t = Clock::now();
    std::set<std::string> named;
    {
      std::string folded = " ";
      for (const auto& k : toks)
        if (k.kind != text::Token::Kind::Identifier) folded += k.folded + " ";
      size_t best = 0;
      for (const auto& [g, title] : groups) {
        if (title.size() < best || folded.find(" " + title + " ") == std::string::npos) continue;
        if (title.size() > best) named.clear();
        best = title.size();
        named.insert(g);
      }
    }
    named_hits += !named.empty();
    ph.named += ms_since(t);

    t = Clock::now();
    size_t nterms = 0;
    auto query = make_query(toks, current, &nterms);
    terms_total += nterms;
    {
      size_t d = 0;
      Variant v = current;
      v.dedupe = true;
      make_query(toks, v, &d);
      distinct_total += d;
    }
    ph.build += ms_since(t);

    t = Clock::now();
    Xapian::Enquire enq(db);
    enq.set_query(query);
    enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    Xapian::MSet m = enq.get_mset(0, 200, 1000);
    matches_total += m.get_matches_estimated();
    ph.mset += ms_since(t);
    {
      std::vector<Xapian::docid> raw;
      for (auto it = m.begin(); it != m.end() && raw.size() < 10; ++it) raw.push_back(*it);
      baseline.push_back(std::move(raw));
    }

    t = Clock::now();
    struct Cand {
      Xapian::docid did;
      double score;
      std::string group;
    };
    std::vector<Cand> cands;
    for (auto it = m.begin(); it != m.end(); ++it) {
      Cand c{*it, it.get_weight(), it.get_document().get_value(1)};
      if (named.count(c.group)) c.score *= 1.6;
      cands.push_back(std::move(c));
    }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.score > b.score; });
    ph.rerank += ms_since(t);

    t = Clock::now();
    std::vector<Xapian::docid> top;
    std::set<std::string> want;
    for (const auto& k : toks) want.insert(k.folded);
    double snip = 0;
    for (size_t k = 0; k < cands.size() && k < 10; ++k) {
      top.push_back(cands[k].did);
      auto data = nlohmann::json::parse(db.get_document(cands[k].did).get_data(), nullptr, false);
      if (data.is_discarded()) continue;
      auto p = nlohmann::json::parse(data.value("p", ""), nullptr, false);
      auto s0 = Clock::now();
      // snippet_of: every word of the text folded with text::fold, then matched
      std::string s = data.value("s", "");
      size_t i = 0, hits = 0;
      while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')) ++i;
        size_t b = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\n' && s[i] != '\t') ++i;
        if (i > b) {
          std::string f = text::fold(std::string_view(s).substr(b, i - b)), core;
          for (char c : f)
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-') core += c;
          hits += want.count(core);
        }
      }
      (void)hits;
      snip += ms_since(s0);
    }
    ph.page += ms_since(t);
    ph.snippet += snip;
    (void)top;
    all_toks.push_back(std::move(toks));
  }
  const double n = static_cast<double>(qs.size());
  std::printf("Current search path, mean per query over %zu queries (single thread, %.0f documents, %zu groups):\n\n",
              qs.size(), N, groups.size());
  std::printf("| phase | ms | share |\n|---|---:|---:|\n");
  double total = ph.tokenize + ph.named + ph.build + ph.mset + ph.rerank + ph.page;
  auto row = [&](const char* name, double v) { std::printf("| %s | %.3f | %.0f%% |\n", name, v / n, 100 * v / total); };
  row("tokenize (ICU, per-word Locale)", ph.tokenize);
  row("named-law scan (all group titles)", ph.named);
  row("query construction", ph.build);
  row("get_mset(0, 200, check_at_least 1000)", ph.mset);
  row("rerank: get_value(group) × 200", ph.rerank);
  row("page: 10 × document data + JSON + snippet", ph.page);
  row("  of which snippet folding (text::fold per word)", ph.snippet);
  std::printf("| total | %.3f | |\n\n", total / n);
  std::printf("Query shape: %.1f terms per query (%.1f distinct), %.0f estimated matches (%.0f%% of the index), "
              "named law found in %.0f%% of queries.\n\n",
              terms_total / n, distinct_total / n, matches_total / n, 100 * matches_total / n / N, 100 * named_hits / n);

  // 2. Variants of the match step.
  std::vector<Variant> vs = {
      current,
      {"pool 10, check_at_least 0", false, true, 1, true, 1, 10, 0},
      {"+ distinct terms", true, true, 1, true, 1, 10, 0},
      {"+ Z terms only for words in < 5% of docs", true, true, 0.05, true, 1, 10, 0},
      {"+ no Z terms", true, false, 1, true, 1, 10, 0},
      {"+ drop words in > 30% of docs", true, true, 0.05, true, 0.3, 10, 0},
      {"distinct, pool 10, no bigrams (cost of B terms)", true, true, 0.05, false, 1, 10, 0},
      {"distinct terms only (pool 200, check 1000)", true, true, 1, true, 1, 200, 1000},
  };
  std::printf("Match step variants (get_mset only; overlap = share of the current top 10 kept):\n\n"
              "| variant | terms/query | get_mset ms | p99 ms | top-10 overlap |\n|---|---:|---:|---:|---:|\n");
  for (const auto& v : vs) {
    std::vector<double> times;
    double overlap = 0, terms = 0;
    for (size_t i = 0; i < qs.size(); ++i) {
      size_t nt = 0;
      auto query = make_query(all_toks[i], v, &nt);
      terms += static_cast<double>(nt);
      auto t = Clock::now();
      Xapian::Enquire enq(db);
      enq.set_query(query);
      enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
      Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(v.pool), v.check_at_least);
      times.push_back(ms_since(t));
      std::set<Xapian::docid> top;
      size_t k = 0;
      for (auto it = m.begin(); it != m.end() && k < 10; ++it, ++k) top.insert(*it);
      size_t same = 0;
      for (auto d : baseline[i]) same += top.count(d);
      overlap += baseline[i].empty() ? 1 : static_cast<double>(same) / static_cast<double>(baseline[i].size());
    }
    double mean = 0;
    for (double t : times) mean += t;
    std::sort(times.begin(), times.end());
    std::printf("| %s | %.1f | %.2f | %.2f | %.3f |\n", v.name, terms / n, mean / n,
                times.empty() ? 0 : times[std::min(times.size() - 1, static_cast<size_t>(0.99 * times.size()))],
                overlap / n);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace speed
