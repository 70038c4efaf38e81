#include "law/routes.h"

// GCC 12 warns about std::function members inside <regex>'s NFA states as "maybe
// uninitialized" when compiled with ASan at -O1 (GCC bug 105562); the code is fine.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>

#include "core/utf8.h"
#include "law/tree.h"
#include "text/normalize.h"

namespace pbgdpl::law {

using core::Error;
using core::ErrorCode;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr size_t kLongDocument = 80;  // articles; longer documents are shown part by part

std::string anchor_num(const std::string& n) {
  std::string out;
  for (size_t i = 0; i < n.size(); ++i) {
    if (std::string_view(n).substr(i).starts_with("đ")) {
      out += "dd";
      ++i;
    } else if (std::isalnum(static_cast<unsigned char>(n[i]))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(n[i])));
    }
  }
  return out;
}

std::string paragraphs(const std::string& escaped_html) {
  std::string out;
  for (char c : escaped_html) {
    if (c == '\n') out += "<br>";
    else out += c;
  }
  return out;
}

// The permanent address of a node: /van-ban/{slug}/dieu-12/khoan-3/diem-a
std::string permalink(const std::string& slug, const std::string& anchor) {
  std::string p = "/van-ban/" + slug;
  if (anchor.rfind("dieu-", 0) != 0) return p + "#" + anchor;
  std::string rest = anchor;
  for (const char* sep : {"-khoan-", "-diem-"}) {
    auto pos = rest.find(sep);
    if (pos != std::string::npos) rest.replace(pos, 1, "/");
  }
  return p + "/" + rest;
}

std::string node_label(const Node& n) {
  switch (n.kind) {
    case NodeKind::Part: return "Phần " + n.number;
    case NodeKind::Chapter: return "Chương " + n.number;
    case NodeKind::Section: return "Mục " + n.number;
    case NodeKind::Subsection: return "Tiểu mục " + n.number;
    case NodeKind::Article: return "Điều " + n.number + ".";
    case NodeKind::Clause: return n.number + ".";
    case NodeKind::Point: return n.number + ")";
  }
  return n.number;
}

json node_view(const Node& n, const std::string& slug, Service& svc) {
  bool heading = n.kind == NodeKind::Part || n.kind == NodeKind::Chapter || n.kind == NodeKind::Section ||
                 n.kind == NodeKind::Subsection;
  json children = json::array();
  for (const auto& c : n.children) children.push_back(node_view(c, slug, svc));
  return {{"is_heading", heading},
          {"is_article", n.kind == NodeKind::Article},
          {"is_clause", n.kind == NodeKind::Clause},
          {"is_point", n.kind == NodeKind::Point},
          {"label", node_label(n)},
          {"title", n.title},
          {"html", n.text.empty() ? "" : paragraphs(linkify(n.text, slug, svc))},
          {"anchor", n.anchor},
          {"href", permalink(slug, n.anchor)},
          {"children", children}};
}

void toc_of(const std::vector<Node>& nodes, int level, const std::string& base, json& out) {
  for (const auto& n : nodes) {
    if (n.kind == NodeKind::Clause || n.kind == NodeKind::Point) continue;
    out.push_back({{"level", level}, {"label", node_label(n)}, {"title", n.title}, {"href", base + "#" + n.anchor}});
    if (n.kind != NodeKind::Article) toc_of(n.children, level + 1, base, out);
  }
}

size_t count_articles(const std::vector<Node>& nodes) {
  size_t n = 0;
  for (const auto& x : nodes) {
    if (x.kind == NodeKind::Article) ++n;
    else if (x.kind != NodeKind::Clause && x.kind != NodeKind::Point) n += count_articles(x.children);
  }
  return n;
}

json doc_view(const Document& d) {
  return {{"id", d.id},
          {"slug", d.slug},
          {"title", d.title},
          {"number", d.number},
          {"type", d.doc_type},
          {"type_label", label_of(doc_types(), d.doc_type)},
          {"issuer", d.issuer},
          {"signer", d.signer},
          {"issued_on", d.issued_on},
          {"effective_on", d.effective_on},
          {"expires_on", d.expires_on},
          {"status", d.status},
          {"status_label", label_of(statuses(), d.status)},
          {"field", d.field},
          {"scope", d.scope},
          {"scope_label", d.scope == "dia_phuong" ? "Địa phương" : "Trung ương"},
          {"published", d.published}};
}

json options(const std::vector<Code>& codes, const std::string& selected) {
  json out = json::array();
  for (const auto& c : codes) out.push_back({{"code", c.code}, {"label", c.label}, {"selected", selected == c.code}});
  return out;
}

DocumentMeta meta_from_form(const http::Form& f) {
  DocumentMeta m;
  m.title = std::string(core::trim(f.get("title")));
  m.doc_type = f.get("doc_type");
  m.number = std::string(core::trim(f.get("number")));
  m.issuer = std::string(core::trim(f.get("issuer")));
  m.signer = std::string(core::trim(f.get("signer")));
  m.issued_on = f.get("issued_on");
  m.effective_on = f.get("effective_on");
  m.expires_on = f.get("expires_on");
  m.status = f.get("status").empty() ? "con_hieu_luc" : f.get("status");
  m.field = std::string(core::trim(f.get("field")));
  m.scope = f.get("scope").empty() ? "trung_uong" : f.get("scope");
  return m;
}

json form_view(const DocumentMeta& m, const std::string& text = "") {
  return {{"title", m.title},         {"number", m.number},       {"issuer", m.issuer},
          {"signer", m.signer},       {"issued_on", m.issued_on}, {"effective_on", m.effective_on},
          {"expires_on", m.expires_on}, {"field", m.field},       {"local", m.scope == "dia_phuong"},
          {"text", text}};
}

void require_perm(const Request& req, accounts::Permission p) {
  if (!req.user.signed_in()) http::fail(ErrorCode::Unauthorized);
  if (!accounts::Service::can_somewhere(req.user, p)) http::fail(ErrorCode::Forbidden);
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string s;
  for (const auto& [k, v] : kv) {
    if (v.empty()) continue;
    s += (s.empty() ? "?" : "&") + k + "=" + http::percent_encode(v);
  }
  return s;
}

// Facet name in URLs and their labels.
struct FacetInfo {
  const char* facet;
  const char* param;
  const char* title;
};
constexpr FacetInfo kFacets[] = {{"type", "loai", "Loại văn bản"}, {"status", "tinh_trang", "Tình trạng hiệu lực"},
                                 {"issuer", "co_quan", "Cơ quan ban hành"}, {"year", "nam", "Năm ban hành"},
                                 {"field", "linh_vuc", "Lĩnh vực"}, {"scope", "pham_vi", "Phạm vi"}};

std::string facet_label(const std::string& facet, const std::string& v) {
  if (facet == "type") return label_of(doc_types(), v);
  if (facet == "status") return label_of(statuses(), v);
  if (facet == "scope") return v == "dia_phuong" ? "Địa phương" : "Trung ương";
  return v;
}

SearchRequest request_of(const Request& req) {
  SearchRequest r;
  r.q = req.query.get("q");
  if (r.q.size() > 10000) {
    size_t cut = 10000;  // never inside a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(r.q[cut]) & 0xC0) == 0x80) --cut;
    r.q.resize(cut);
  }
  r.level = req.query.get("level") == "document" ? "document" : "article";
  r.all_statuses = req.query.get("hieu_luc") == "tat-ca";
  r.by_date = req.query.get("sap_xep") == "moi-nhat";
  for (const auto& f : kFacets) {
    auto v = req.query.get(f.param);
    if (!v.empty()) r.filters[f.facet] = {v};
  }
  if (r.filters.count("status")) r.all_statuses = true;
  return r;
}

/// For an empty result: the query without diacritics, to be searched in every effect status,
/// when that is a different search and the query has a letter or digit to search for.
std::optional<std::string> did_you_mean(const SearchRequest& r) {
  std::string folded = text::fold(r.q);
  bool searchable = std::any_of(folded.begin(), folded.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  if (!searchable || (folded == text::lower(r.q) && r.all_statuses)) return std::nullopt;
  return folded;
}

}  // namespace

std::string linkify(const std::string& text, const std::string& slug, Service& svc) {
  std::string esc = http::html_escape(text);
  // 1) references to other documents by số ký hiệu
  static const std::regex num_re(R"((số\s+)([0-9]{1,4}/[0-9]{4}/[A-Za-z0-9Đđ\-]+))");
  std::string out;
  std::map<std::string, std::string> cache;
  {
    auto begin = std::sregex_iterator(esc.begin(), esc.end(), num_re);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      std::string number = m[2].str();
      if (!cache.count(number)) {
        auto d = svc.find_by_number(number);
        cache[number] = d && d->has_value() && (*d)->slug != slug ? (*d)->slug : "";
      }
      out.append(esc, last, m.position(0) - last);
      if (!cache[number].empty())
        out += m[1].str() + "<a href=\"/van-ban/" + cache[number] + "\">" + number + "</a>";
      else
        out += m[0].str();
      last = m.position(0) + m.length(0);
    }
    out.append(esc, last, std::string::npos);
  }
  // 2) references inside this document: [điểm a ][khoản 2 ]Điều 10[ của Luật này]
  static const std::regex ref_re(
      R"(((điểm ([a-zđ]) )?(khoản ([0-9]+) ))?Điều ([0-9]+[a-z]?)( của (Luật|Bộ luật|Hiến pháp|Nghị định|Nghị quyết|Pháp lệnh|Thông tư|Quyết định) này)?)");
  std::string res;
  size_t last = 0;
  for (auto it = std::sregex_iterator(out.begin(), out.end(), ref_re); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    size_t end = m.position(0) + m.length(0);
    bool this_doc = m[7].matched;
    // "Điều 5 của Luật Đất đai" names another law: leave it.
    bool other_doc = !this_doc && out.compare(end, 7, " của ") == 0;
    if (other_doc || out.compare(m.position(0) > 0 ? m.position(0) - 1 : 0, 1, ">") == 0) continue;
    std::string anchor = "dieu-" + anchor_num(m[6].str());
    if (m[5].matched) anchor += "-khoan-" + m[5].str();
    if (m[3].matched && m[5].matched) anchor += "-diem-" + anchor_num(m[3].str());
    res.append(out, last, m.position(0) - last);
    res += "<a href=\"" + permalink(slug, anchor) + "\">" + m[0].str() + "</a>";
    last = end;
  }
  res.append(out, last, std::string::npos);
  return res;
}

// Public reading pages are the same for every anonymous visitor: the server's page cache
// may answer them for a few seconds (a publish or edit on this node clears it at once).
constexpr http::RouteOptions kPublicPage{0, false, false, 5};

void register_routes(http::Router& r, Service& svc, const web::Site& site) {
  // ---- public library ------------------------------------------------------------------
  r.get("/van-ban", [&](Request& req) {
    json types = json::array();
    for (const auto& [code, n] : http::unwrap(svc.counts()))
      types.push_back({{"code", code}, {"label", label_of(doc_types(), code)}, {"count", n}});
    std::string type = req.query.get("loai");
    int64_t cursor = std::atoll(req.query.get("cursor").c_str());
    auto docs = http::unwrap(svc.list(type, "", cursor, 20, false));
    json list = json::array();
    for (const auto& d : docs) list.push_back(doc_view(d));
    json data = {{"types", types}, {"docs", list}, {"type", type},
                 {"list_heading", type.empty() ? "Văn bản mới cập nhật" : std::string(label_of(doc_types(), type))}};
    if (docs.size() == 20) data["next_cursor"] = docs.back().id;
    return site.page(req, "Tủ sách pháp luật điện tử", "law_home", data);
  }, kPublicPage);

  r.get("/van-ban/tim-kiem", [&](Request& req) {
    auto sr = request_of(req);
    int page = std::max(1, std::atoi(req.query.get("trang").c_str()));
    sr.offset = static_cast<size_t>(page - 1) * 10;
    sr.limit = 10;
    json data = {{"q", sr.q}, {"level_article", sr.level == "article"}, {"level_document", sr.level == "document"},
                 {"all_statuses", sr.all_statuses}, {"by_date", sr.by_date}, {"has_query", !sr.q.empty()}};
    json hidden = json::array();
    for (const auto& f : kFacets)
      if (!req.query.get(f.param).empty()) hidden.push_back({{"name", f.param}, {"value", req.query.get(f.param)}});
    data["filters"] = hidden;
    if (!sr.q.empty()) {
      if (!core::utf8_valid(sr.q)) sr.q.clear();
      auto res = svc.search(sr);
      if (!res) {
        data["error"] = res.error().message;
      } else {
        json results = json::array();
        for (const auto& h : res->hits) {
          auto p = json::parse(h.payload, nullptr, false);
          if (p.is_discarded()) continue;
          std::string slug = p.value("slug", "");
          json item = {{"title", p.value("title", "")}, {"number", p.value("number", "")}, {"path", p.value("path", "")},
                       {"status", p.value("status", "")}, {"status_label", label_of(statuses(), p.value("status", ""))},
                       {"snippet", h.snippet}};
          if (sr.level == "article") {
            item["article"] = p.value("article", "");
            item["heading"] = p.value("heading", "");
            item["href"] = permalink(slug, p.value("anchor", ""));
          } else {
            item["href"] = "/van-ban/" + slug;
          }
          results.push_back(std::move(item));
        }
        data["results"] = results;
        data["total_text"] = "Khoảng " + std::to_string(res->total) + " kết quả" +
                             (sr.all_statuses ? "" : " trong các văn bản còn hiệu lực") + ".";
        if (res->hits.empty()) {
          data["no_results"] = true;
          if (auto folded = did_you_mean(sr)) {
            data["suggest_folded"] = *folded;
            data["suggest_folded_q"] = http::percent_encode(*folded);
          }
        }
        // Facets: each value is a link that toggles the filter.
        json facets = json::array();
        for (const auto& f : kFacets) {
          auto it = res->facets.find(f.facet);
          if (it == res->facets.end() || it->second.empty()) continue;
          json values = json::array();
          size_t shown = 0;
          for (const auto& [v, n] : it->second) {
            if (++shown > 8) break;
            bool active = req.query.get(f.param) == v;
            std::vector<std::pair<std::string, std::string>> kv = {{"q", sr.q},
                                                                   {"level", sr.level == "document" ? "document" : ""},
                                                                   {"hieu_luc", sr.all_statuses ? "tat-ca" : ""}};
            for (const auto& g : kFacets) {
              if (std::string(g.param) == f.param) continue;
              kv.emplace_back(g.param, req.query.get(g.param));
            }
            if (!active) kv.emplace_back(f.param, v);
            values.push_back({{"label", facet_label(f.facet, v)}, {"count", n}, {"active", active},
                              {"href", "/van-ban/tim-kiem" + query_string(kv)}});
          }
          facets.push_back({{"title", f.title}, {"values", values}});
        }
        data["facets"] = facets;
        data["facets_any"] = !facets.empty();
        std::vector<std::pair<std::string, std::string>> base = {
            {"q", sr.q}, {"level", sr.level == "document" ? "document" : ""}, {"hieu_luc", sr.all_statuses ? "tat-ca" : ""},
            {"sap_xep", sr.by_date ? "moi-nhat" : ""}};
        for (const auto& f : kFacets) base.emplace_back(f.param, req.query.get(f.param));
        json pages = json::object();
        if (page > 1) {
          auto kv = base;
          kv.emplace_back("trang", std::to_string(page - 1));
          pages["prev"] = "/van-ban/tim-kiem" + query_string(kv);
        }
        if (res->total > static_cast<size_t>(page) * 10 && res->hits.size() == 10) {
          auto kv = base;
          kv.emplace_back("trang", std::to_string(page + 1));
          pages["next"] = "/van-ban/tim-kiem" + query_string(kv);
        }
        if (!pages.empty()) data["pages"] = pages;
      }
    }
    return site.page(req, sr.q.empty() ? "Tìm kiếm văn bản" : "Tìm: " + sr.q, "law_search", data);
  }, kPublicPage);

  auto render_document = [&](Request& req, const View& v) {
    const std::string base = "/van-ban/" + v.doc.slug;
    json toc = json::array();
    toc_of(v.content.body, 0, base, toc);
    json nodes = json::array();
    std::string part = req.query.get("muc");
    bool print = req.query.get("in") == "1";
    std::string notice;
    std::string ngay = v.as_at.empty() ? "" : "ngay=" + v.as_at;
    if (!print && part.empty() && count_articles(v.content.body) > kLongDocument && !v.content.body.empty() &&
        v.content.body.front().kind != NodeKind::Article) {
      part = v.content.body.front().anchor;
    }
    if (!print && !part.empty() && part != "all") {
      const Node* n = find_anchor(v.content.body, part);
      if (!n) http::fail(Error::of(ErrorCode::NotFound, "Không có phần này trong văn bản."));
      nodes.push_back(node_view(*n, v.doc.slug, svc));
      notice = node_label(*n) + (n->title.empty() ? "" : " – " + n->title);
      for (auto& t : toc) {
        std::string href = t["href"];
        auto hash = href.find('#');
        // Links in the table of contents open the part that holds them.
        const Node* holder = nullptr;
        for (const auto& top : v.content.body)
          if (find_anchor({top}, href.substr(hash + 1))) holder = &top;
        if (holder) t["href"] = base + "?muc=" + holder->anchor + (ngay.empty() ? "" : "&" + ngay) + href.substr(hash);
      }
    } else {
      for (const auto& n : v.content.body) nodes.push_back(node_view(n, v.doc.slug, svc));
    }
    json doc = doc_view(v.doc);
    doc["as_at"] = v.as_at;
    doc["version_from"] = v.version_from;
    json rels = json::array();
    for (const auto& rel : v.relations)
      rels.push_back({{"label", rel.label}, {"other_slug", rel.other_slug}, {"other_title", rel.other_title}, {"note", rel.note}});
    json hist = json::array();
    for (const auto& h : v.history)
      hist.push_back({{"since", h.since}, {"label", label_of(statuses(), h.status)}, {"note", h.note}});
    json data = {{"doc", doc},
                 {"relations", rels},
                 {"relations_any", !rels.empty()},
                 {"history", hist},
                 {"history_any", hist.size() > 1},
                 {"toc", toc},
                 {"toc_any", !print && toc.size() > 1},
                 {"nodes", nodes},
                 {"preamble", paragraphs(http::html_escape(v.content.preamble))},
                 {"closing", v.content.closing},
                 {"partial_notice", notice},
                 {"full_href", base + "?muc=all" + (ngay.empty() ? "" : "&" + ngay)},
                 {"description", v.doc.title + (v.doc.number.empty() ? "" : " số " + v.doc.number)}};
    return site.page(req, v.doc.title, "law_document", data);
  };

  r.get("/van-ban/{slug}", [&, render_document](Request& req) {
    bool editor = req.user.signed_in() && accounts::Service::can_somewhere(req.user, accounts::Permission::EditContent);
    auto v = http::unwrap(svc.view(req.param("slug"), req.query.get("ngay"), editor));
    if (!v) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy văn bản này trong thư viện."));
    return render_document(req, *v);
  }, kPublicPage);

  auto provision_page = [&](Request& req, const std::string& anchor) {
    // Editors preview unpublished documents (as on the document page), links included.
    bool editor = req.user.signed_in() && accounts::Service::can_somewhere(req.user, accounts::Permission::EditContent);
    auto v = http::unwrap(svc.view(req.param("slug"), req.query.get("ngay"), editor));
    if (!v) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy văn bản này trong thư viện."));
    const Node* n = find_anchor(v->content.body, anchor);
    if (!n) http::fail(Error::of(ErrorCode::NotFound, "Văn bản này không có quy định tại địa chỉ đã nhập."));
    // Phần/Chương/Mục have no page of their own: open the document there.
    if (n->kind != NodeKind::Article && n->kind != NodeKind::Clause && n->kind != NodeKind::Point)
      return Response::redirect("/van-ban/" + v->doc.slug + "#" + anchor);
    // heading: "Khoản 3 Điều 12" style
    std::string heading;
    {
      std::string a = anchor;
      auto dieu = a.substr(5, a.find('-', 5) == std::string::npos ? std::string::npos : a.find('-', 5) - 5);
      const Node* art = find_anchor(v->content.body, "dieu-" + dieu);
      std::string art_label = art ? "Điều " + art->number : "Điều " + dieu;
      if (n->kind == NodeKind::Article) heading = art_label + (n->title.empty() ? "" : ". " + n->title);
      else if (n->kind == NodeKind::Clause) heading = "Khoản " + n->number + " " + art_label;
      else heading = "Điểm " + n->number + " " + art_label;
    }
    std::string path;
    for (const auto& p : flatten(v->content.body))
      if (anchor == p.anchor || anchor.rfind(p.anchor + "-", 0) == 0) path = p.path;
    json data = {{"slug", v->doc.slug},
                 {"doc_title", v->doc.title},
                 {"path", path},
                 {"heading", heading},
                 {"status", v->doc.status},
                 {"status_label", label_of(statuses(), v->doc.status)},
                 {"anchor", anchor},
                 {"permalink", permalink(v->doc.slug, anchor)},
                 {"nodes", json::array({node_view(*n, v->doc.slug, svc)})},
                 {"description", heading + " – " + v->doc.title}};
    return site.page(req, heading + " – " + v->doc.title, "law_provision", data);
  };
  r.get("/van-ban/{slug}/{dieu}", [&, provision_page](Request& req) { return provision_page(req, req.param("dieu")); }, kPublicPage);
  r.get("/van-ban/{slug}/{dieu}/{khoan}", [&, provision_page](Request& req) {
    return provision_page(req, req.param("dieu") + "-" + req.param("khoan"));
  }, kPublicPage);
  r.get("/van-ban/{slug}/{dieu}/{khoan}/{diem}", [&, provision_page](Request& req) {
    return provision_page(req, req.param("dieu") + "-" + req.param("khoan") + "-" + req.param("diem"));
  }, kPublicPage);

  // ---- editor ------------------------------------------------------------------------------
  auto admin_list = [&](Request& req, json extra, int status) {
    int64_t cursor = std::atoll(req.query.get("cursor").c_str());
    auto docs = http::unwrap(svc.list("", "", cursor, 50, true));
    json list = json::array();
    for (const auto& d : docs) list.push_back(doc_view(d));
    extra["docs"] = list;
    if (docs.size() == 50) extra["next_cursor"] = docs.back().id;
    if (!extra.contains("type_options")) extra["type_options"] = options(doc_types(), "luat");
    if (!extra.contains("status_options")) extra["status_options"] = options(statuses(), "con_hieu_luc");
    return site.page(req, "Quản lý văn bản pháp luật", "law_admin", extra, status);
  };
  r.get("/quan-tri/van-ban", [&, admin_list](Request& req) {
    if (!req.user.signed_in()) return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
    require_perm(req, accounts::Permission::EditContent);
    return admin_list(req, json::object(), 200);
  });
  r.post("/quan-tri/van-ban", [&, admin_list](Request& req) {
    require_perm(req, accounts::Permission::EditContent);
    auto f = http::unwrap(req.form());
    auto meta = meta_from_form(f);
    meta.published = false;  // an editor's new document waits for approval
    auto d = svc.create(accounts::Service::actor_of(req), meta, f.get("text"));
    if (!d) {
      auto e = d.take_error();
      return admin_list(req,
                        {{"error", {{"message", e.message}, {"field", e.field}}},
                         {"form", form_view(meta, f.get("text"))},
                         {"type_options", options(doc_types(), meta.doc_type)},
                         {"status_options", options(statuses(), meta.status)}},
                        core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/van-ban/" + std::to_string(d->id),
                                    "Đã lưu văn bản. Văn bản chưa công bố cho đến khi người duyệt công bố.");
  }, {4u << 20, false, false});
  auto edit_page = [&](Request& req, const Document& d, json extra, int status) {
    json rel = json::array();
    for (const auto& k : relation_kinds()) rel.push_back({{"code", k.code}, {"label", k.label}});
    extra["id"] = d.id;
    extra["slug"] = d.slug;
    extra["published"] = d.published;
    if (!extra.contains("form")) extra["form"] = form_view(d);
    extra["type_options"] = options(doc_types(), d.doc_type);
    extra["status_options"] = options(statuses(), d.status);
    extra["relation_options"] = rel;
    return site.page(req, "Sửa: " + d.title, "law_admin_edit", extra, status);
  };
  r.get("/quan-tri/van-ban/{id:int}", [&, edit_page](Request& req) {
    if (!req.user.signed_in()) return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
    require_perm(req, accounts::Permission::EditContent);
    auto d = http::unwrap(svc.get(req.param_int("id")));
    if (!d) http::fail(ErrorCode::NotFound);
    return edit_page(req, *d, json::object(), 200);
  });
  r.post("/quan-tri/van-ban/{id:int}", [&, edit_page](Request& req) {
    require_perm(req, accounts::Permission::EditContent);
    auto f = http::unwrap(req.form());
    auto cur = http::unwrap(svc.get(req.param_int("id")));
    if (!cur) http::fail(ErrorCode::NotFound);
    auto meta = meta_from_form(f);
    meta.published = cur->published;
    auto d = svc.update(accounts::Service::actor_of(req), cur->id, meta, f.get("text"), f.get("valid_from"));
    if (!d) {
      auto e = d.take_error();
      return edit_page(req, *cur, {{"error", {{"message", e.message}}}, {"form", form_view(meta)}}, core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/van-ban/" + std::to_string(cur->id), "Đã lưu thay đổi.");
  }, {4u << 20, false, false});
  r.post("/quan-tri/van-ban/{id:int}/cong-bo", [&](Request& req) {
    require_perm(req, accounts::Permission::ApproveContent);
    auto f = http::unwrap(req.form());
    bool pub = f.get("published") == "1";
    http::unwrap(svc.set_published(accounts::Service::actor_of(req), req.param_int("id"), pub));
    return web::redirect_with_flash("/quan-tri/van-ban/" + req.param("id"), pub ? "Đã công bố văn bản." : "Đã ngừng công bố.");
  });
  r.post("/quan-tri/van-ban/{id:int}/quan-he", [&](Request& req) {
    require_perm(req, accounts::Permission::EditContent);
    auto f = http::unwrap(req.form());
    http::unwrap(svc.relate(accounts::Service::actor_of(req), req.param_int("id"), std::string(core::trim(f.get("other"))),
                            f.get("type"), f.get("note")));
    return web::redirect_with_flash("/quan-tri/van-ban/" + req.param("id"), "Đã thêm quan hệ.");
  });

  // ---- JSON API -----------------------------------------------------------------------------
  r.get("/api/v1/search", [&](Request& req) {
    auto sr = request_of(req);
    if (!core::utf8_valid(sr.q)) http::fail(ErrorCode::InvalidUtf8);
    if (sr.q.empty()) http::fail(Error::of(ErrorCode::Validation, "Thiếu tham số q (nội dung cần tìm).", "q"));
    auto l = req.query.get("level");
    if (!l.empty() && l != "article" && l != "document")
      http::fail(Error::of(ErrorCode::Validation, "Tham số level phải là article hoặc document.", "level"));
    int limit = req.query.get("limit").empty() ? 10 : std::atoi(req.query.get("limit").c_str());
    if (limit < 1 || limit > 50) http::fail(Error::of(ErrorCode::Validation, "Tham số limit phải từ 1 đến 50.", "limit"));
    sr.limit = static_cast<size_t>(limit);
    sr.offset = static_cast<size_t>(std::max(0, std::atoi(req.query.get("offset").c_str())));
    auto res = http::unwrap(svc.search(sr));
    json results = json::array();
    for (const auto& h : res.hits) {
      auto p = json::parse(h.payload, nullptr, false);
      if (p.is_discarded()) continue;
      json item = {{"document", {{"id", p.value("doc", int64_t{0})}, {"title", p.value("title", "")}, {"number", p.value("number", "")}, {"slug", p.value("slug", "")}}},
                   {"snippet", h.snippet},
                   {"score", h.score}};
      if (sr.level == "article") {
        item["article"] = p.value("article", "");
        item["url"] = permalink(p.value("slug", ""), p.value("anchor", ""));
      } else {
        item["article"] = nullptr;
        item["url"] = "/van-ban/" + p.value("slug", "");
      }
      results.push_back(std::move(item));
    }
    json facets = json::object();
    for (const auto& [k, vals] : res.facets) {
      json arr = json::array();
      for (const auto& [v, n] : vals) arr.push_back({{"value", v}, {"count", n}});
      facets[k] = arr;
    }
    json out = {{"total", res.total}, {"results", results}, {"facets", facets}};
    // Nothing found: offer what the search page offers, the query without diacritics in
    // every effect status (a client can show "Có phải bạn muốn tìm …?").
    if (res.hits.empty() && sr.offset == 0)
      if (auto folded = did_you_mean(sr)) out["did_you_mean"] = {{"q", *folded}, {"hieu_luc", "tat-ca"}};
    return Response::json(out);
  }, kPublicPage);
  r.get("/api/v1/law/suggest", [&](Request& req) {
    json out = json::array();
    for (const auto& d : http::unwrap(svc.suggest(req.query.get("q"), 8)))
      out.push_back({{"id", d.id}, {"title", d.title}, {"number", d.number}, {"slug", d.slug}});
    return Response::json({{"items", out}});
  });
  r.get("/api/v1/law/documents", [&](Request& req) {
    int64_t cursor = std::atoll(req.query.get("cursor").c_str());
    int limit = req.query.get("limit").empty() ? 20 : std::atoi(req.query.get("limit").c_str());
    if (limit < 1 || limit > 100) http::fail(Error::of(ErrorCode::Validation, "Tham số limit phải từ 1 đến 100.", "limit"));
    auto docs = http::unwrap(svc.list(req.query.get("type"), req.query.get("status"), cursor, limit, false));
    json items = json::array();
    for (const auto& d : docs) items.push_back(doc_view(d));
    json out = {{"items", items}, {"next_cursor", nullptr}};
    if (static_cast<int>(docs.size()) == limit) out["next_cursor"] = std::to_string(docs.back().id);
    return Response::json(out);
  });
  r.get("/api/v1/law/documents/{id:int}", [&](Request& req) {
    auto d = http::unwrap(svc.get(req.param_int("id")));
    if (!d || !d->published) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy văn bản."));
    auto v = http::unwrap(svc.view(d->slug, req.query.get("as_at"), false));
    if (!v) http::fail(ErrorCode::NotFound);
    json out = doc_view(v->doc);
    out["url"] = "/van-ban/" + v->doc.slug;
    out["version_from"] = v->version_from;
    out["preamble"] = v->content.preamble;
    out["body"] = tree_to_json(v->content.body);
    out["closing"] = v->content.closing;
    json rels = json::array();
    for (const auto& rel : v->relations)
      rels.push_back({{"type", rel.type}, {"label", rel.label}, {"document_id", rel.other_id}, {"title", rel.other_title}});
    out["relations"] = rels;
    return Response::json(out);
  });
}

}  // namespace pbgdpl::law
