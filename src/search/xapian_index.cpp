// Xapian 1.4 behind search::Index.
//
// Terms of one document (all from text::tokenize):
//   folded syllables, unprefixed (no positions)   — matching without diacritics (đ→d)
//   Z + exact syllable                             — exact-diacritic matches rank higher
//   B + folded syllable pair                       — phrases outrank scattered syllables
//   I + legal identifier                           — "91/2015/qh13" is one token
//   Q + id, G + group, F + facet:value             — boolean keys and filters
// Field weights are wdf multipliers (title 3, heading 2, body 1) under BM25.
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/log.h"
#include "http/message.h"
#include "search/index.h"
#include "text/normalize.h"
#include "text/tokenize.h"

namespace pbgdpl::search {

using core::Error;
using core::ErrorCode;

namespace {

constexpr Xapian::valueno kSlotDate = 0;
constexpr Xapian::valueno kSlotGroup = 1;

Xapian::valueno facet_slot(const std::string& name) {
  static const std::map<std::string, Xapian::valueno> slots = {
      {"type", 10}, {"issuer", 11}, {"field", 12}, {"status", 13}, {"year", 14}, {"scope", 15}, {"language", 16}};
  auto it = slots.find(name);
  return it == slots.end() ? Xapian::BAD_VALUENO : it->second;
}

// Xapian terms are limited to 245 bytes.
std::string clip(std::string t) {
  if (t.size() > 200) t.resize(200);
  return t;
}

// Template words of questions that carry no meaning for retrieval ("…, đúng hay sai?").
bool is_question_template(const std::vector<text::Token>& toks, size_t i) {
  auto at = [&](size_t k, const char* w) { return k < toks.size() && toks[k].folded == w; };
  return (at(i, "dung") && at(i + 1, "hay") && at(i + 2, "sai")) ||
         (i > 0 && at(i - 1, "dung") && at(i, "hay") && at(i + 1, "sai")) ||
         (i > 1 && at(i - 2, "dung") && at(i - 1, "hay") && at(i, "sai"));
}

// Abbreviations people type for law names and bodies, expanded in queries (folded key).
const std::unordered_map<std::string, std::string>& abbreviations() {
  static const std::unordered_map<std::string, std::string> m = {
      {"blds", "Bộ luật Dân sự"},
      {"blhs", "Bộ luật Hình sự"},
      {"bltths", "Bộ luật Tố tụng hình sự"},
      {"blttds", "Bộ luật Tố tụng dân sự"},
      {"blld", "Bộ luật Lao động"},
      {"hn&gd", "hôn nhân và gia đình"},
      {"hngd", "hôn nhân và gia đình"},
      {"ubnd", "Ủy ban nhân dân"},
      {"hdnd", "Hội đồng nhân dân"},
      {"nd-cp", "nghị định Chính phủ"},
      {"tthc", "thủ tục hành chính"},
      {"qsdd", "quyền sử dụng đất"},
      {"xlvphc", "xử lý vi phạm hành chính"},
      {"bhxh", "bảo hiểm xã hội"},
      {"bhyt", "bảo hiểm y tế"},
  };
  return m;
}

std::vector<text::Token> expand_abbreviations(std::vector<text::Token> toks) {
  std::vector<text::Token> out;
  uint32_t shift = 0;
  size_t skip_parts_until = 0;  // parts of an expanded identifier ("hn", "gđ") are dropped
  for (size_t i = 0; i < toks.size(); ++i) {
    auto t = toks[i];
    if (i < skip_parts_until) continue;
    auto it = abbreviations().find(t.folded);
    if (it == abbreviations().end()) {
      t.pos += shift;
      out.push_back(std::move(t));
      continue;
    }
    auto exp = text::tokenize(it->second);
    uint32_t base = t.pos + shift;
    // Keep the abbreviation itself: documents write "HN&GĐ" and "BLDS" too.
    t.pos = base;
    out.push_back(t);
    for (auto e : exp) {
      e.pos += base;
      out.push_back(std::move(e));
    }
    shift += static_cast<uint32_t>(exp.size()) - 1;
    if (t.kind == text::Token::Kind::Identifier) {
      // skip the identifier's own parts that follow at the same and next positions
      size_t j = i + 1;
      while (j < toks.size() && toks[j].kind != text::Token::Kind::Identifier && toks[j].pos <= t.pos + 1 &&
             t.folded.find(toks[j].folded) != std::string::npos)
        ++j;
      skip_parts_until = j;
      shift -= static_cast<uint32_t>(j - i - 1);
    }
  }
  return out;
}

std::string snippet_of(const std::string& text, const std::set<std::string>& want, size_t window = 36) {
  // Words with their folded forms (punctuation trimmed for the comparison only).
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) ++i;
    size_t s = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\t') ++i;
    if (i > s) words.emplace_back(text.data() + s, i - s);
  }
  if (words.empty()) return {};
  std::vector<char> hit(words.size(), 0);
  for (size_t k = 0; k < words.size(); ++k) {
    std::string f = text::fold(words[k]);
    std::string core;
    for (char c : f)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-') core += c;
    hit[k] = want.count(core) ? 1 : 0;
  }
  size_t best = 0, best_count = 0, count = 0;
  for (size_t k = 0; k < words.size(); ++k) {
    count += hit[k];
    if (k >= window) count -= hit[k - window];
    if (count > best_count) {
      best_count = count;
      best = k >= window ? k - window + 1 : 0;
    }
  }
  std::string out;
  if (best > 0) out += "… ";
  size_t end = std::min(words.size(), best + window);
  for (size_t k = best; k < end; ++k) {
    if (k > best) out += ' ';
    auto esc = http::html_escape(words[k]);
    if (hit[k]) out += "<mark>" + esc + "</mark>";
    else out += esc;
  }
  if (end < words.size()) out += " …";
  return out;
}

class XapianIndex final : public Index {
 public:
  explicit XapianIndex(std::string dir) : dir_(std::move(dir)) {}

  core::Status init() {
    try {
      std::filesystem::create_directories(dir_);
      Xapian::WritableDatabase w(dir_, Xapian::DB_CREATE_OR_OPEN);
      w.commit();
      load_groups(w);
      groups_rev_ = w.get_revision();
    } catch (const Xapian::Error& e) {
      return Error::of(ErrorCode::Unavailable, "Không mở được chỉ mục tìm kiếm: " + e.get_msg());
    }
    return {};
  }

  core::Status put(const IndexDoc& d) override {
    return write([&](Xapian::WritableDatabase& w) {
      Xapian::Document doc;
      for (const auto& f : d.fields) {
        auto toks = text::tokenize(f.text);
        const text::Token* prev = nullptr;
        Xapian::termcount wdf = static_cast<Xapian::termcount>(std::max(1, f.weight));
        for (const auto& t : toks) {
          if (t.kind == text::Token::Kind::Identifier) {
            doc.add_term(clip("I" + t.folded), wdf);
            continue;
          }
          // No positions: nothing matches phrases by position (the B pair terms carry phrase
          // awareness), and a position list per (term, document) was most of the build.
          doc.add_term(clip(t.folded), wdf);
          // Queries add Z terms only for words written with diacritics: a plain word's exact
          // form would be a second copy of its folded term that no query ever asks for.
          if (t.has_diacritics()) doc.add_term(clip("Z" + t.exact), wdf);
          if (prev && prev->pos + 1 == t.pos) doc.add_term(clip("B" + prev->folded + "_" + t.folded), wdf);
          prev = &t;
        }
      }
      doc.add_boolean_term(clip("Q" + d.id));
      doc.add_boolean_term(clip("G" + d.group));
      for (const auto& [k, v] : d.facets) {
        if (v.empty()) continue;
        doc.add_boolean_term(clip("F" + k + ":" + v));
        auto slot = facet_slot(k);
        if (slot != Xapian::BAD_VALUENO) doc.add_value(slot, v);
      }
      doc.add_value(kSlotDate, Xapian::sortable_serialise(static_cast<double>(d.date)));
      doc.add_value(kSlotGroup, d.group);
      nlohmann::json data = {{"p", d.payload}, {"s", d.snippet_text}, {"g", d.group}};
      doc.set_data(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      // Filling an empty index (first build, reindex after clear()): an id not put yet in
      // this session cannot be in the index, so add_document skips the by-term lookup and
      // delete that replace_document does for every document.
      if (fresh_ && fresh_ids_.insert(d.id).second) w.add_document(doc);
      else w.replace_document("Q" + d.id, doc);
      if (!d.group_title.empty()) {
        // Articles of one law come in a row with the same title: fold and store it once.
        auto& known = group_titles_[d.group];
        if (known != d.group_title) {
          known = d.group_title;
          std::string folded;
          for (const auto& t : text::tokenize(d.group_title))
            if (t.kind != text::Token::Kind::Identifier) folded += (folded.empty() ? "" : " ") + t.folded;
          w.set_metadata("group:" + d.group, folded);
          std::lock_guard lock(groups_mu_);
          groups_[d.group] = folded;
        }
      }
    });
  }

  core::Status remove(const std::string& id) override {
    return write([&](Xapian::WritableDatabase& w) { w.delete_document("Q" + id); });
  }

  core::Status remove_group(const std::string& group) override {
    return write([&](Xapian::WritableDatabase& w) {
      w.delete_document("G" + group);
      w.set_metadata("group:" + group, "");
      group_titles_.erase(group);
      std::lock_guard lock(groups_mu_);
      groups_.erase(group);
    });
  }

  core::Status clear() override {
    return write([&](Xapian::WritableDatabase& w) {
      std::vector<std::string> keys;
      for (auto it = w.metadata_keys_begin("group:"); it != w.metadata_keys_end("group:"); ++it) keys.push_back(*it);
      for (const auto& k : keys) w.set_metadata(k, "");
      std::vector<Xapian::docid> ids;
      for (auto it = w.postlist_begin(""); it != w.postlist_end(""); ++it) ids.push_back(*it);
      for (auto id : ids) w.delete_document(id);
      fresh_ = true;  // empty now: the puts that follow may add instead of replace
      fresh_ids_.clear();
      group_titles_.clear();
      std::lock_guard lock(groups_mu_);
      groups_.clear();
    });
  }

  core::Status commit() override {
    std::lock_guard lock(write_mu_);
    if (!writer_) return {};
    try {
      writer_->commit();
      writer_.reset();  // release the lock so `pbgdpl search reindex` and other nodes can write
    } catch (const Xapian::Error& e) {
      writer_.reset();
      return Error::of(ErrorCode::Internal, "Lỗi ghi chỉ mục: " + e.get_msg());
    }
    return {};
  }

  core::Result<size_t> size() override {
    try {
      auto r = reader();
      size_t n = r.db->get_doccount();
      give_back(std::move(r));
      return n;
    } catch (const Xapian::Error& e) {
      return Error::of(ErrorCode::Unavailable, e.get_msg());
    }
  }

  Ranking& ranking() override { return ranking_; }

  core::Result<Results> search(const Query& q) override {
    // A writer in another process may, two commits on, reuse blocks an open reader still
    // needs (DatabaseModifiedError): that reader is dropped and the search runs once more on
    // a freshly opened one.
    bool modified = false;
    auto r = search_once(q, modified);
    if (modified) r = search_once(q, modified);
    return r;
  }

  core::Result<Results> search_once(const Query& q, bool& modified) {
    modified = false;
    Results res;
    auto toks = expand_abbreviations(text::tokenize(q.text.size() > 2000 ? q.text.substr(0, 2000) : q.text));
    // Each distinct term once, weighted by how often the query has it: the same scores as
    // one leaf per occurrence (an OR adds them up), with one posting list per term.
    using DocFreq = std::function<Xapian::doccount(const std::string&)>;
    struct Terms {
      std::vector<std::string> order;
      std::unordered_map<std::string, int> count;
      void add(std::string t) {
        if (count[t]++ == 0) order.push_back(std::move(t));
      }
      bool empty() const { return order.empty(); }
      // Takes out the terms found in more than max_docs documents and returns them.
      Terms split_off(const DocFreq& df, Xapian::doccount max_docs) {
        Terms frequent;
        std::erase_if(order, [&](const std::string& t) {
          if (df(t) <= max_docs) return false;
          frequent.order.push_back(t);
          frequent.count[t] = count.at(t);
          return true;
        });
        return frequent;
      }
      bool matches_any(const DocFreq& df) const {
        return std::any_of(order.begin(), order.end(), [&](const std::string& t) { return df(t) > 0; });
      }
      Xapian::Query query() const {
        std::vector<Xapian::Query> qs;
        qs.reserve(order.size());
        for (const auto& t : order) {
          int n = count.at(t);
          qs.push_back(n == 1 ? Xapian::Query(t) : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(t), n));
        }
        return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
      }
    } words, pairs, exact, ids;
    std::set<std::string> want;
    const text::Token* prev = nullptr;
    for (size_t i = 0; i < toks.size(); ++i) {
      const auto& t = toks[i];
      if (t.kind == text::Token::Kind::Identifier) {
        ids.add(clip("I" + t.folded));
        want.insert(t.folded);
        continue;
      }
      if (is_question_template(toks, i)) {
        prev = nullptr;
        continue;
      }
      words.add(clip(t.folded));
      want.insert(t.folded);
      if (t.has_diacritics()) exact.add(clip("Z" + t.exact));
      if (prev && prev->pos + 1 == t.pos) pairs.add(clip("B" + prev->folded + "_" + t.folded));
      prev = &t;
    }
    if (words.empty() && ids.empty()) return res;  // only punctuation: an empty result, not an error

    try {
      auto r = reader();
      // The law the query names ("theo Luật Du lịch…"): the longest title found in it.
      std::set<std::string> named;
      {
        std::string folded = " ";
        for (const auto& t : toks)
          if (t.kind != text::Token::Kind::Identifier) folded += t.folded + " ";
        std::lock_guard lock(groups_mu_);
        size_t best = 0;
        for (const auto& [g, title] : groups_) {
          if (title.size() < best || folded.find(" " + title + " ") == std::string::npos) continue;
          if (title.size() > best) named.clear();
          best = title.size();
          named.insert(g);  // several documents may share the name (two versions of a code)
        }
        if (!named.empty()) res.named_group = *named.begin();
      }
      // Document frequencies, each looked up once (the rules below ask for most terms twice).
      std::unordered_map<std::string, Xapian::doccount> freq;
      const DocFreq df = [&](const std::string& t) {
        auto [it, fresh] = freq.try_emplace(t, 0);
        if (fresh) it->second = r.db->get_termfreq(t);
        return it->second;
      };
      // Long queries (a question pasted with its answer choices): the terms found in more
      // than `common_share` of the documents leave the OR. Their BM25 weight is small (low
      // idf) but their posting lists are most of the index, and Xapian cannot prune an OR of
      // ~50 such lists; rarer words, the phrases they form with their neighbours (pairs are
      // tested on their own frequency) and identifiers carry the ranking. Short queries keep
      // every term: there each word matters and the match is cheap anyway.
      if (words.order.size() >= ranking_.long_query_words && ranking_.common_share < 1) {
        const auto max_docs = static_cast<Xapian::doccount>(ranking_.common_share * r.db->get_doccount());
        auto kept = words;
        kept.split_off(df, max_docs);
        // A query whose only matching words are common keeps them all (else it would find
        // nothing, or only what its rare identifiers or unknown words match).
        if (kept.matches_any(df)) {
          words = std::move(kept);
          exact.split_off(df, max_docs);
          pairs.split_off(df, max_docs);
        }
      }
      // Long queries, second step: a document must contain at least one of the query's rarer
      // terms (found in at most `rare_share` of the documents: rare words, most pairs,
      // identifiers); the frequent words only add to its score (AND_MAYBE). The scores of
      // the documents that match are the same as with a plain OR; what is lost are documents
      // that share only frequent words with the question, and those cannot reach the first
      // page of a 50-word question. Xapian then walks the short posting lists and skips
      // through the long ones instead of merging them all.
      Terms common_words, common_pairs, common_exact;
      // (Counted after the first step: a question left with fewer distinct words than
      // long_query_words keeps its plain OR.)
      if (words.order.size() >= ranking_.long_query_words && ranking_.rare_share < 1) {
        const auto max_docs = static_cast<Xapian::doccount>(ranking_.rare_share * r.db->get_doccount());
        auto rare_words = words, rare_pairs = pairs, rare_exact = exact;
        auto cw = rare_words.split_off(df, max_docs), cp = rare_pairs.split_off(df, max_docs),
             ce = rare_exact.split_off(df, max_docs);
        if (rare_words.matches_any(df) || rare_pairs.matches_any(df) || ids.matches_any(df)) {
          words = std::move(rare_words), pairs = std::move(rare_pairs), exact = std::move(rare_exact);
          common_words = std::move(cw), common_pairs = std::move(cp), common_exact = std::move(ce);
        }
      }
      auto or_of = [&](const Terms& w, const Terms& p, const Terms& e, const Terms* i) {
        std::vector<Xapian::Query> parts;
        if (!w.empty()) parts.push_back(w.query());
        if (!p.empty()) parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, p.query(), ranking_.bigram_scale);
        if (!e.empty()) parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, e.query(), ranking_.exact_scale);
        if (i && !i->empty()) parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, i->query(), ranking_.identifier_scale);
        return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
      };
      Xapian::Query query = or_of(words, pairs, exact, &ids);
      if (!common_words.empty() || !common_pairs.empty() || !common_exact.empty())
        query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, or_of(common_words, common_pairs, common_exact, nullptr));
      std::vector<Xapian::Query> filters;
      for (const auto& [facet, values] : q.filters) {
        if (values.empty()) continue;
        std::vector<Xapian::Query> alts;
        for (const auto& v : values) alts.emplace_back(clip("F" + facet + ":" + v));
        filters.emplace_back(Xapian::Query::OP_OR, alts.begin(), alts.end());
      }
      if (!filters.empty())
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
      const auto weighting = Xapian::BM25Weight(ranking_.k1, 0, 1, ranking_.b, 0.5);
      Xapian::Enquire enq(*r.db);
      enq.set_query(query);
      enq.set_weighting_scheme(weighting);
      if (q.collapse) enq.set_collapse_key(kSlotGroup);
      if (q.by_date) enq.set_sort_by_value_then_relevance(kSlotDate, true);
      std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
      std::vector<std::string> spy_names;
      for (const auto& f : q.facets) {
        auto slot = facet_slot(f);
        if (slot == Xapian::BAD_VALUENO) continue;
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
        spy_names.push_back(f);
        enq.add_matchspy(spies.back().get());
      }
      // Facet counts come from the documents the matcher looks at: look at 1,000 at least
      // when they are asked for. Without them, Xapian may skip what cannot reach the page.
      const size_t want_n = q.offset + q.limit;
      const Xapian::doccount check = spies.empty() ? 0 : 1000;
      Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(want_n), check);
      res.total = m.get_matches_estimated();
      struct Cand {
        Xapian::docid did;
        double score;
        std::string group;
      };
      std::vector<Cand> cands;
      cands.reserve(2 * m.size());
      for (auto it = m.begin(); it != m.end(); ++it) {
        Cand c{*it, it.get_weight(), it.get_document().get_value(kSlotGroup)};
        if (!q.by_date && named.count(c.group)) c.score *= ranking_.named_boost;
        cands.push_back(std::move(c));
      }
      // The named-law boost multiplies every hit inside the named law(s). The boosted page is
      // the best of two exact lists: the page of the whole query (boost applied to named hits
      // in it) and the page of the query restricted to the named law(s). A hit outside the
      // named law that belongs on the boosted page is on the first, since the boost only
      // lifts others; a hit inside it is on the second.
      if (!q.by_date && !named.empty()) {
        std::vector<Xapian::Query> g;
        for (const auto& name : named) g.emplace_back(clip("G" + name));
        Xapian::Enquire in_named(*r.db);
        in_named.set_query(
            Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_OR, g.begin(), g.end())));
        in_named.set_weighting_scheme(weighting);
        if (q.collapse) in_named.set_collapse_key(kSlotGroup);
        Xapian::MSet mn = in_named.get_mset(0, static_cast<Xapian::doccount>(want_n));
        std::set<Xapian::docid> have;
        for (const auto& c : cands) have.insert(c.did);
        for (auto it = mn.begin(); it != mn.end(); ++it)
          if (!have.count(*it))
            cands.push_back({*it, it.get_weight() * ranking_.named_boost, it.get_document().get_value(kSlotGroup)});
        std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
          return a.score != b.score ? a.score > b.score : a.did < b.did;
        });
        if (q.collapse) {
          std::set<std::string> seen;
          std::erase_if(cands, [&](const Cand& c) { return !seen.insert(c.group).second; });
        }
      }
      for (size_t k = q.offset; k < cands.size() && k < want_n; ++k) {
        auto data = nlohmann::json::parse(r.db->get_document(cands[k].did).get_data(), nullptr, false);
        if (data.is_discarded()) continue;
        Hit h;
        h.payload = data.value("p", "");
        h.group = cands[k].group;
        h.score = cands[k].score;
        h.snippet = snippet_of(data.value("s", ""), want);
        auto p = nlohmann::json::parse(h.payload, nullptr, false);
        if (!p.is_discarded() && p.contains("id")) h.id = p["id"].is_string() ? p["id"].get<std::string>() : p["id"].dump();
        res.hits.push_back(std::move(h));
      }
      for (size_t s = 0; s < spies.size(); ++s) {
        auto& list = res.facets[spy_names[s]];
        for (auto v = spies[s]->values_begin(); v != spies[s]->values_end(); ++v) list.emplace_back(*v, v.get_termfreq());
        std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      }
      give_back(std::move(r));
    } catch (const Xapian::DatabaseModifiedError&) {
      modified = true;
      return Error::of(ErrorCode::Unavailable, "Tìm kiếm tạm thời không khả dụng.");
    } catch (const Xapian::Error& e) {
      core::log_error("search error: {}", e.get_description());
      return Error::of(ErrorCode::Unavailable, "Tìm kiếm tạm thời không khả dụng.");
    }
    return res;
  }

 private:
  struct Reader {
    std::unique_ptr<Xapian::Database> db;
  };

  Reader reader() {
    {
      std::lock_guard lock(pool_mu_);
      if (!pool_.empty()) {
        Reader r = std::move(pool_.back());
        pool_.pop_back();
        // Always: another process (`pbgdpl search reindex`, `library import`) may have
        // committed since, and only reopen() moves a reader to the latest revision. It costs
        // a read of the version file when nothing changed.
        r.db->reopen();
        track_groups(*r.db);
        return r;
      }
    }
    Reader r;
    r.db = std::make_unique<Xapian::Database>(dir_);
    track_groups(*r.db);
    return r;
  }

  void give_back(Reader r) {
    std::lock_guard lock(pool_mu_);
    if (pool_.size() < 16) pool_.push_back(std::move(r));
  }

  template <class F>
  core::Status write(F&& f) {
    std::lock_guard lock(write_mu_);
    try {
      if (!writer_) {
        writer_ = std::make_unique<Xapian::WritableDatabase>(dir_, Xapian::DB_CREATE_OR_OPEN);
        // Another process may have written since our last session: only an index empty
        // when this writer opened counts as fresh, and only for ids put through it.
        fresh_ = writer_->get_doccount() == 0;
        fresh_ids_.clear();
        group_titles_.clear();
      }
      f(*writer_);
    } catch (const Xapian::DatabaseLockError&) {
      return Error::of(ErrorCode::Unavailable, "Chỉ mục tìm kiếm đang được một tiến trình khác ghi; hãy thử lại.");
    } catch (const Xapian::Error& e) {
      return Error::of(ErrorCode::Internal, "Lỗi ghi chỉ mục: " + e.get_msg());
    }
    return {};
  }

  // Law titles ("group:" metadata) that another process committed: reloaded whenever a
  // reader finds the index at a revision other than the one they were loaded from.
  void track_groups(const Xapian::Database& db) {
    const auto rev = db.get_revision();
    if (rev == groups_rev_.load()) return;
    load_groups(db);
    groups_rev_ = rev;
  }

  void load_groups(const Xapian::Database& db) {
    std::lock_guard lock(groups_mu_);
    groups_.clear();
    for (auto it = db.metadata_keys_begin("group:"); it != db.metadata_keys_end("group:"); ++it) {
      auto v = db.get_metadata(*it);
      if (!v.empty()) groups_[(*it).substr(6)] = v;
    }
  }

  std::string dir_;
  Ranking ranking_;
  std::mutex write_mu_;
  std::unique_ptr<Xapian::WritableDatabase> writer_;
  // Under write_mu_, for the current writer session:
  bool fresh_ = false;                    ///< the index was empty when the writer opened (or cleared)
  std::unordered_set<std::string> fresh_ids_;  ///< ids put since then (superset of those present)
  std::unordered_map<std::string, std::string> group_titles_;  ///< group → title already stored
  std::mutex pool_mu_;
  std::vector<Reader> pool_;
  std::mutex groups_mu_;
  std::unordered_map<std::string, std::string> groups_;
  std::atomic<Xapian::rev> groups_rev_{0};
};

}  // namespace

core::Status apply_ranking(Ranking& r, const std::string& spec) {
  const std::map<std::string, double*> knobs = {
      {"bigram_scale", &r.bigram_scale}, {"exact_scale", &r.exact_scale}, {"identifier_scale", &r.identifier_scale},
      {"named_boost", &r.named_boost},   {"k1", &r.k1},                   {"b", &r.b},
      {"common_share", &r.common_share}, {"rare_share", &r.rare_share}};
  size_t i = 0;
  while (i < spec.size()) {
    size_t end = spec.find(',', i);
    if (end == std::string::npos) end = spec.size();
    std::string item = spec.substr(i, end - i);
    i = end + 1;
    auto eq = item.find('=');
    std::string name = item.substr(0, eq);
    double v = 0;
    try {
      size_t used = 0;
      if (eq == std::string::npos) throw std::invalid_argument(name);
      v = std::stod(item.substr(eq + 1), &used);
      if (used != item.size() - eq - 1) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      return Error::of(ErrorCode::BadRequest, "Tham số xếp hạng không hợp lệ: " + item);
    }
    if (name == "long_query_words") r.long_query_words = static_cast<size_t>(v);
    else if (auto it = knobs.find(name); it != knobs.end()) *it->second = v;
    else return Error::of(ErrorCode::BadRequest, "Tham số xếp hạng không hợp lệ: " + item);
  }
  return {};
}

core::Result<std::unique_ptr<Index>> Index::open(const std::string& dir) {
  auto x = std::make_unique<XapianIndex>(dir);
  PBGDPL_TRY(x->init());
  return std::unique_ptr<Index>(std::move(x));
}

}  // namespace pbgdpl::search
