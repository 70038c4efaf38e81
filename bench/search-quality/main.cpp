// bench/search-quality: article-level retrieval quality on ALQAC 2024 (law.json corpus,
// train.json questions), our engine and its peers side by side, each question twice: as
// written and without diacritics. Prints Recall@1/5/10, MRR@10, nDCG@10.
//
//   search-quality --data ../shared/data/alqac2024 --work DIR [--pg URL] [--engines a,b]
//                  [--split all|heldout]
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common.h"
#include "text/normalize.h"

namespace bench {

std::string strip_diacritics(const std::string& s) {
  // fold() also lower-cases; keep the case of the original where letters are ASCII.
  return pbgdpl::text::fold(s);
}

}  // namespace bench

namespace {

using bench::Article;
using bench::Question;

struct Metrics {
  double r1 = 0, r5 = 0, r10 = 0, mrr = 0, ndcg = 0;
  size_t n = 0;
  double ms = 0;
};

Metrics evaluate(bench::Engine& e, const std::vector<Question>& qs, bool strip) {
  Metrics m;
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& q : qs) {
    auto res = e.search(strip ? bench::strip_diacritics(q.text) : q.text, 10);
    std::set<std::string> gold(q.gold.begin(), q.gold.end());
    double dcg = 0, idcg = 0;
    bool hit1 = false, hit5 = false, hit10 = false;
    double rr = 0;
    for (size_t i = 0; i < res.size() && i < 10; ++i) {
      if (!gold.count(res[i])) continue;
      dcg += 1.0 / std::log2(static_cast<double>(i) + 2);
      if (rr == 0) rr = 1.0 / static_cast<double>(i + 1);
      if (i < 1) hit1 = true;
      if (i < 5) hit5 = true;
      hit10 = true;
    }
    for (size_t i = 0; i < gold.size() && i < 10; ++i) idcg += 1.0 / std::log2(static_cast<double>(i) + 2);
    // Recall@k: share of gold articles found in the top k (most questions have one).
    auto recall = [&](size_t k) {
      size_t found = 0;
      for (size_t i = 0; i < res.size() && i < k; ++i) found += gold.count(res[i]);
      return static_cast<double>(found) / static_cast<double>(gold.size());
    };
    (void)hit1, (void)hit5, (void)hit10;
    m.r1 += recall(1);
    m.r5 += recall(5);
    m.r10 += recall(10);
    m.mrr += rr;
    m.ndcg += idcg > 0 ? dcg / idcg : 0;
    ++m.n;
  }
  m.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (m.n) {
    m.r1 /= m.n;
    m.r5 /= m.n;
    m.r10 /= m.n;
    m.mrr /= m.n;
    m.ndcg /= m.n;
  }
  return m;
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return def;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = arg(argc, argv, "data", "../shared/data/alqac2024");
  std::string work = arg(argc, argv, "work", "/tmp/pbgdpl-sq");
  std::string pg = arg(argc, argv, "pg", "");
  std::string engines = arg(argc, argv, "engines", "pbgdpl,fts5,postgres,sphinx");
  std::string split = arg(argc, argv, "split", "all");

  std::vector<Article> corpus;
  {
    std::ifstream f(data + "/law.json");
    auto j = nlohmann::json::parse(f);
    for (const auto& law : j) {
      for (const auto& a : law["articles"]) {
        Article art;
        art.law = law["id"].get<std::string>();
        art.number = a["id"].get<std::string>();
        std::string text = a["text"].get<std::string>();
        auto nl = text.find('\n');
        art.heading = text.substr(0, nl);
        art.body = nl == std::string::npos ? "" : text.substr(nl + 1);
        corpus.push_back(std::move(art));
      }
    }
  }
  std::set<std::string> keys;
  for (const auto& a : corpus) keys.insert(a.key());
  std::vector<Question> questions;
  {
    std::ifstream f(data + "/train.json");
    auto j = nlohmann::json::parse(f);
    size_t i = 0;
    for (const auto& q : j) {
      ++i;
      // held-out split: every 5th question (never used when choosing ranking weights)
      if (split == "heldout" && i % 5 != 0) continue;
      if (split == "tune" && i % 5 == 0) continue;
      Question qu;
      qu.id = q["question_id"].get<std::string>();
      qu.text = q["text"].get<std::string>();
      if (q.contains("choices") && q["choices"].is_object())
        for (const auto& [k, v] : q["choices"].items())
          if (v.is_string()) qu.text += " " + v.get<std::string>();
      for (const auto& r : q["relevant_articles"]) {
        std::string key = r["law_id"].get<std::string>() + "#" + r["article_id"].get<std::string>();
        if (keys.count(key)) qu.gold.push_back(key);
      }
      if (!qu.gold.empty()) questions.push_back(std::move(qu));
    }
  }
  std::printf("corpus: %zu articles in %zu laws; questions: %zu (split %s)\n\n", corpus.size(),
              std::set<std::string>([&] {
                std::set<std::string> s;
                for (const auto& a : corpus) s.insert(a.law);
                return s;
              }()).size(),
              questions.size(), split.c_str());
  std::printf("| engine | queries | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 | ms/query |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  std::stringstream es(engines);
  std::string name;
  while (std::getline(es, name, ',')) {
    std::unique_ptr<bench::Engine> e;
    if (name == "pbgdpl") e = bench::make_pbgdpl_engine(work + "/pbgdpl-index");
    else if (name == "fts5") e = bench::make_fts5_engine(work + "/fts5.db");
    else if (name == "postgres") e = bench::make_postgres_engine(pg);
    else if (name == "sphinx") e = bench::make_sphinx_engine(work + "/sphinx");
    if (!e) continue;
    auto err = e->build(corpus);
    if (!err.empty()) {
      std::printf("| %s | unavailable: %s |\n", name.c_str(), err.c_str());
      continue;
    }
    for (bool strip : {false, true}) {
      auto m = evaluate(*e, questions, strip);
      std::printf("| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f |\n", e->name().c_str(),
                  strip ? "no diacritics" : "as written", m.r1, m.r5, m.r10, m.mrr, m.ndcg, m.ms / std::max<size_t>(1, m.n));
      std::fflush(stdout);
    }
  }
  return 0;
}
