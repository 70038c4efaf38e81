// Relevance golden queries: the ALQAC 2024 laws imported through the alqac importer into a
// whole App, and the first 40 training questions whose gold article is in the library.
// A question counts as answered when a gold article is in the top 10 — once as written,
// once typed without diacritics (text::fold), as people do on phones.
#include "law/service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

#include "law/importer.h"
#include "law/tree.h"
#include "support.h"
#include "text/normalize.h"

namespace pbgdpl::law {
namespace {

using nlohmann::json;

TEST(LawRelevance, AlqacTrainQuestionsFindTheirGoldArticleInTheTop10) {
  const auto dir = pbgdpl::testing::shared_data() / "alqac2024";
  if (!std::filesystem::exists(dir / "law.json")) GTEST_SKIP() << "no " << dir;
  pbgdpl::testing::TestServer server("sqlite");
  auto& app = server.app();

  ImportOptions o;
  o.format = "alqac";
  auto docs = read_import_file((dir / "law.json").string(), o);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  accounts::Actor a;
  a.name = "alqac";
  std::set<std::pair<std::string, std::string>> in_library;  // (law title, article number)
  size_t articles = 0;
  for (const auto& in : *docs) {
    auto r = app.law->import(a, in);
    ASSERT_TRUE(r.ok()) << in.meta.title << ": " << r.error().message;
    ASSERT_EQ(r->outcome, ImportOutcome::Created);
    articles += r->articles;
    for (const auto& p : flatten(in.parsed.body)) in_library.emplace(in.meta.title, p.number);
  }
  EXPECT_EQ(docs->size(), 17u);
  EXPECT_EQ(articles, 2249u);
  app.jobs->drain();
  auto size = app.index->size();
  ASSERT_TRUE(size.ok());
  ASSERT_EQ(static_cast<size_t>(*size), 2249u);

  std::ifstream f(dir / "train.json");
  auto train = json::parse(f, nullptr, false);
  ASSERT_TRUE(train.is_array());
  struct Q {
    std::string id, text;
    std::set<std::pair<std::string, std::string>> gold;
  };
  std::vector<Q> qs;
  for (const auto& q : train) {
    Q x{q.value("question_id", ""), q.value("text", ""), {}};
    for (const auto& g : q["relevant_articles"]) {
      std::pair<std::string, std::string> key{g.value("law_id", ""), g.value("article_id", "")};
      if (in_library.count(key)) x.gold.insert(key);
    }
    if (!x.gold.empty()) qs.push_back(std::move(x));
    if (qs.size() == 40) break;
  }
  ASSERT_EQ(qs.size(), 40u);

  auto run = [&](bool folded) {
    int hits = 0;
    std::string misses;
    for (const auto& q : qs) {
      SearchRequest r;
      r.q = folded ? text::fold(q.text) : q.text;
      r.all_statuses = true;
      r.limit = 10;
      auto res = app.law->search(r);
      EXPECT_TRUE(res.ok()) << q.id;
      if (!res.ok()) continue;
      bool found = false;
      std::string top;
      for (const auto& h : res->hits) {
        auto p = json::parse(h.payload);
        std::pair<std::string, std::string> key{p.value("title", ""), p.value("article", "")};
        found |= q.gold.count(key) > 0;
        if (top.empty()) top = key.first + " Điều " + key.second;
      }
      if (found) {
        ++hits;
      } else {
        misses += "  " + q.id + " (gold " + q.gold.begin()->first + " Điều " + q.gold.begin()->second + ", top: " + top +
                  "): " + r.q.substr(0, 120) + "\n";
      }
    }
    std::printf("ALQAC train, first %zu questions, gold in top 10 (%s): %d/%zu = %.1f%%\n%s", qs.size(),
                folded ? "without diacritics" : "as written", hits, qs.size(), 100.0 * hits / qs.size(),
                misses.empty() ? "" : ("misses:\n" + misses).c_str());
    return hits;
  };
  int exact = run(false);
  int folded = run(true);
  EXPECT_GE(exact, 36) << "≥ 90 % with diacritics";
  EXPECT_GE(folded, 36) << "≥ 90 % without diacritics";
}

}  // namespace
}  // namespace pbgdpl::law
