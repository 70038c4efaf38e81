#include <nlohmann/json.hpp>

#include <cstdlib>

#include "common.h"
#include "search/index.h"

namespace bench {
namespace {

class PbgdplEngine final : public Engine {
 public:
  explicit PbgdplEngine(std::string dir) : dir_(std::move(dir)) {}
  std::string name() const override { return "pbgdpl (Xapian)"; }
  std::string build(const std::vector<Article>& corpus) override {
    auto idx = pbgdpl::search::Index::open(dir_);
    if (!idx) return idx.error().message;
    index_ = std::move(*idx);
    // PBGDPL_RANKING="common_share=0.2,…" compares ranking settings without a rebuild.
    if (const char* spec = std::getenv("PBGDPL_RANKING"))
      if (auto st = pbgdpl::search::apply_ranking(index_->ranking(), spec); !st) return st.error().message;
    (void)index_->clear();
    for (const auto& a : corpus) {
      pbgdpl::search::IndexDoc d;
      d.id = a.key();
      d.group = a.law;
      d.group_title = a.law;
      d.fields = {{a.heading, 2}, {a.body, 1}};
      d.payload = nlohmann::json({{"id", a.key()}}).dump();
      if (auto st = index_->put(d); !st) return st.error().message;
    }
    if (auto st = index_->commit(); !st) return st.error().message;
    return {};
  }
  std::vector<std::string> search(const std::string& q, size_t k) override {
    pbgdpl::search::Query query;
    query.text = q;
    query.limit = k;
    auto r = index_->search(query);
    std::vector<std::string> out;
    if (!r) return out;
    for (const auto& h : r->hits) out.push_back(h.id);
    return out;
  }
  pbgdpl::search::Index* index() { return index_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<pbgdpl::search::Index> index_;
};

}  // namespace

std::unique_ptr<Engine> make_pbgdpl_engine(const std::string& dir) { return std::make_unique<PbgdplEngine>(dir); }

}  // namespace bench
