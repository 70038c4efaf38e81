// Our engine: search::Index (Xapian), documents shaped the way law::Service indexes them
// (title weight 2, text weight 1, group = the law, group_title = its title, facets, payload
// JSON, snippet text), queried at article level, limit 10, no filters.
#include <nlohmann/json.hpp>

#include <cstdlib>

#include <cstdio>
#include <filesystem>

#include "search/index.h"
#include "speed.h"

namespace speed {
namespace {

class PbgdplClient final : public Client {
 public:
  explicit PbgdplClient(pbgdpl::search::Index* idx) : idx_(idx) {}
  size_t search(const std::string& q) override {
    pbgdpl::search::Query query;
    query.text = q;
    query.limit = 10;
    auto r = idx_->search(query);
    return r ? r->hits.size() : 0;
  }

 private:
  pbgdpl::search::Index* idx_;
};

class PbgdplEngine final : public Engine {
 public:
  explicit PbgdplEngine(const EngineConfig& c) : dir_(c.work + "/pbgdpl") {}
  std::string name() const override { return "pbgdpl (Xapian)"; }

  std::string build(const std::string& corpus) override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    auto idx = pbgdpl::search::Index::open(dir_);
    if (!idx) return idx.error().message;
    std::string err;
    static const char* kStatus[] = {"con_hieu_luc", "het_hieu_luc", "het_hieu_luc_mot_phan"};
    static const char* kType[] = {"luat", "bo_luat", "nghi_dinh", "thong_tu"};
    uint64_t n = 0;
    bool ok = read_corpus(corpus, [&](Article& a) {
      uint64_t g = std::strtoull(a.group.c_str() + 2, nullptr, 10);
      pbgdpl::search::IndexDoc d;
      d.id = "a:" + std::to_string(a.id);
      d.group = a.group;
      d.group_title = a.group_title;
      d.fields = {{a.heading, 2}, {a.body, 1}};
      std::string year = std::to_string(1990 + g % 35);
      d.facets = {{"type", kType[g % 4]},    {"status", kStatus[g % 3]}, {"issuer", "Quốc hội"},
                  {"field", "f" + std::to_string(g % 20)}, {"scope", "trung_uong"},   {"language", "vi"},
                  {"year", year}};
      d.date = static_cast<int64_t>(1990 + g % 35) * 10000 + 101;
      d.payload = nlohmann::json({{"id", std::to_string(g) + "#" + std::to_string(a.id)},
                                  {"doc", g},
                                  {"slug", "van-ban-" + std::to_string(g)},
                                  {"title", a.group_title},
                                  {"number", std::to_string(g) + "/" + year + "/QH"},
                                  {"status", kStatus[g % 3]},
                                  {"article", std::to_string(a.id)},
                                  {"anchor", "dieu-" + std::to_string(a.id)},
                                  {"heading", a.heading},
                                  {"path", ""}})
                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      d.snippet_text = a.body;
      if (auto st = (*idx)->put(d); !st) {
        err = st.error().message;
        return false;
      }
      if (++n % 100000 == 0) std::fprintf(stderr, "  pbgdpl: %llu articles\n", static_cast<unsigned long long>(n));
      return true;
    });
    if (!ok) return "cannot read " + corpus;
    if (!err.empty()) return err;
    if (auto st = (*idx)->commit(); !st) return st.error().message;
    return {};
  }

  std::string open() override {
    auto idx = pbgdpl::search::Index::open(dir_);
    if (!idx) return idx.error().message;
    index_ = std::move(*idx);
    // PBGDPL_RANKING="common_share=0.2,…" compares ranking settings without a rebuild.
    if (const char* spec = std::getenv("PBGDPL_RANKING"))
      if (auto st = pbgdpl::search::apply_ranking(index_->ranking(), spec); !st) return st.error().message;
    return {};
  }
  std::unique_ptr<Client> client() override { return std::make_unique<PbgdplClient>(index_.get()); }
  uint64_t disk_bytes() override { return du(dir_); }
  std::string notes() const override { return "in-process; Xapian glass, BM25 + pair/exact/identifier terms, no positions, page-deep match"; }

 private:
  std::string dir_;
  std::unique_ptr<pbgdpl::search::Index> index_;
};

}  // namespace

std::unique_ptr<Engine> make_pbgdpl_engine(const EngineConfig& c) { return std::make_unique<PbgdplEngine>(c); }

}  // namespace speed
