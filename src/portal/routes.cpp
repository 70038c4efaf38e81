#include "portal/routes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/time.h"
#include "core/utf8.h"
#include "portal/diff.h"
#include "portal/markdown.h"
#include "portal/media.h"
#include "portal/qr.h"

namespace pbgdpl::portal {

using accounts::Permission;
using core::Error;
using core::ErrorCode;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr size_t kMaxUpload = 64u << 20;

json options(const std::vector<Code>& codes, const std::string& selected) {
  json out = json::array();
  for (const auto& c : codes) out.push_back({{"code", c.code}, {"label", c.label}, {"selected", selected == c.code}});
  return out;
}

json checks(const std::vector<Code>& codes, const std::vector<std::string>& selected) {
  json out = json::array();
  for (const auto& c : codes)
    out.push_back({{"code", c.code}, {"label", c.label},
                   {"checked", std::find(selected.begin(), selected.end(), c.code) != selected.end()}});
  return out;
}

std::string item_href(const Item& it) { return "/" + std::string(kind_path(it.kind)) + "/" + it.slug; }

std::string date_of(const Item& it) { return core::vn_datetime(it.published_at.value_or(it.updated_at)).substr(0, 10); }

json card(const Item& it) {
  json audiences = json::array();
  for (const auto& a : it.audiences) audiences.push_back({{"code", a}, {"label", label_of(portal::audiences(), a)}});
  return {{"title", it.title},
          {"href", item_href(it)},
          {"summary", it.summary},
          {"date", date_of(it)},
          {"format_label", it.kind == "tai_lieu" ? label_of(formats(), it.format) : label_of(kinds(), it.kind)},
          {"org_name", it.org_name},
          {"org_code", it.org_code},
          {"lang", std::string(language_tag(it.language))},
          {"language_label", it.language == "vi" ? "" : label_of(languages(), it.language)},
          {"audiences", audiences}};
}

json cards(const std::vector<Item>& items) {
  json out = json::array();
  for (const auto& it : items) out.push_back(card(it));
  return out;
}

std::vector<std::string> lines_of(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string line;
  while (std::getline(ss, line, sep)) {
    auto t = std::string(core::trim(line));
    if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

std::optional<int64_t> opt_id(const std::string& s) {
  auto t = core::trim(s);
  if (t.empty() || t.size() > 15 || !std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::nullopt;
  return std::atoll(std::string(t).c_str());
}

ItemInput input_from(const http::Form& f) {
  ItemInput in;
  in.kind = f.get("kind").empty() ? "tin_bai" : f.get("kind");
  in.format = f.get("format");
  in.title = f.get("title");
  in.summary = f.get("summary");
  in.body = f.get("body");
  // Browsers send CRLF in textareas; revisions and diffs compare lines.
  in.body.erase(std::remove(in.body.begin(), in.body.end(), '\r'), in.body.end());
  in.category = f.get("category");
  in.audiences = f.all("audiences");
  in.topics = lines_of(f.get("topics"), ',');
  in.legal_refs = lines_of(f.get("legal_refs"), '\n');
  in.language = f.get("language");
  in.source_id = opt_id(f.get("source_id"));
  in.media_url = f.get("media_url");
  in.cover_media_id = opt_id(f.get("cover_media_id"));
  in.audio_media_id = opt_id(f.get("audio_media_id"));
  for (const auto& s : lines_of(f.get("media_ids"), ','))
    if (auto id = opt_id(s)) in.media_ids.push_back(*id);
  in.org_code = f.get("org_code");
  in.featured = f.get("featured") == "1";
  return in;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

json form_view(const ItemInput& in) {
  std::string ids;
  for (auto id : in.media_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  return {{"title", in.title},
          {"summary", in.summary},
          {"body", in.body},
          {"kinds", options(kinds(), in.kind)},
          {"formats", options(formats(), in.format)},
          {"categories", options(categories(), in.category)},
          {"languages", options(languages(), in.language.empty() ? "vi" : in.language)},
          {"audiences", checks(audiences(), in.audiences)},
          {"topics", join(in.topics, ", ")},
          {"legal_refs", join(in.legal_refs, "\n")},
          {"source_id", in.source_id ? std::to_string(*in.source_id) : ""},
          {"media_url", in.media_url},
          {"cover_media_id", in.cover_media_id ? std::to_string(*in.cover_media_id) : ""},
          {"audio_media_id", in.audio_media_id ? std::to_string(*in.audio_media_id) : ""},
          {"media_ids", ids},
          {"org_code", in.org_code},
          {"featured", in.featured}};
}

ItemInput input_of(const Item& it, const std::vector<int64_t>& media_ids) {
  ItemInput in;
  in.kind = it.kind;
  in.format = it.format;
  in.title = it.title;
  in.summary = it.summary;
  in.body = it.body;
  in.category = it.category;
  in.audiences = it.audiences;
  in.topics = it.topics;
  in.legal_refs = it.legal_refs;
  in.language = it.language;
  in.source_id = it.source_id;
  in.media_url = it.media_url;
  in.cover_media_id = it.cover_media_id;
  in.audio_media_id = it.audio_media_id;
  in.media_ids = media_ids;
  in.org_code = it.org_code;
  in.featured = it.featured;
  return in;
}

void require_editor(const Request& req) {
  if (!req.user.signed_in()) http::fail(ErrorCode::Unauthorized);
  if (!accounts::Service::can_somewhere(req.user, Permission::EditContent) &&
      !accounts::Service::can_somewhere(req.user, Permission::ApproveContent))
    http::fail(Error::of(ErrorCode::Forbidden, "Trang này dành cho người viết và người duyệt nội dung."));
}

json pager(const ItemPage& p, const std::string& base) {
  json out = json::object();
  std::string sep = base.find('?') == std::string::npos ? "?" : "&";
  if (p.page > 1) out["prev"] = base + (p.page == 2 ? "" : sep + "trang=" + std::to_string(p.page - 1));
  if (p.page < p.pages) out["next"] = base + sep + "trang=" + std::to_string(p.page + 1);
  out["label"] = "Trang " + std::to_string(p.page) + "/" + std::to_string(p.pages);
  out["any"] = p.pages > 1;
  return out;
}

int page_of(const Request& req) {
  auto s = req.query.get("trang");
  if (s.empty()) return 1;
  if (s.size() > 6 || !std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    http::fail(Error::of(ErrorCode::BadRequest, "Số trang không hợp lệ."));
  return std::max(1, std::atoi(s.c_str()));
}

std::string rating_path(const Request& req) { return req.path; }

json rating_form(const Request& req, std::optional<int64_t> item_id) {
  json scores = json::array();
  static const char* labels[] = {"Không hữu ích", "Ít hữu ích", "Bình thường", "Hữu ích", "Rất hữu ích"};
  for (int i = 1; i <= 5; ++i) scores.push_back({{"value", i}, {"label", labels[i - 1]}});
  return {{"path", rating_path(req)}, {"item_id", item_id ? std::to_string(*item_id) : ""}, {"scores", scores}};
}

// Open Graph and feed links for the page head (the layout adds it after the stylesheet).
std::string head_for(const web::Site& site, const std::string& extra = "") {
  return "<link rel=\"stylesheet\" href=\"" + site.asset_url("portal.css") + "\">" + extra;
}

std::string og_tags(const std::string& url, const std::string& title, const std::string& desc, const std::string& image) {
  std::string h = "\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"" +
                  http::html_escape(title) + "\">\n<meta property=\"og:description\" content=\"" + http::html_escape(desc) +
                  "\">\n<meta property=\"og:url\" content=\"" + http::html_escape(url) +
                  "\">\n<meta property=\"og:locale\" content=\"vi_VN\">\n<link rel=\"canonical\" href=\"" +
                  http::html_escape(url) + "\">";
  if (!image.empty()) h += "\n<meta property=\"og:image\" content=\"" + http::html_escape(image) + "\">";
  return h;
}

std::string feed_links(const std::string& base, const std::string& title) {
  return "\n<link rel=\"alternate\" type=\"application/rss+xml\" title=\"" + http::html_escape(title) + " (RSS)\" href=\"" +
         base + "/rss.xml\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"" + http::html_escape(title) +
         " (Atom)\" href=\"" + base + "/atom.xml\">";
}

std::string x(std::string_view s) { return http::html_escape(s); }

// The template engine has no array index: every top-level list gets "<name>_any".
Response render_page(const web::Site& site, const Request& req, const std::string& title, std::string_view tmpl, json data,
              int status = 200) {
  json extra = json::object();
  for (auto it = data.begin(); it != data.end(); ++it)
    if (it.value().is_array()) extra[it.key() + "_any"] = !it.value().empty();
  data.update(extra);
  return site.page(req, title, tmpl, std::move(data), status);
}

Response feed(const std::string& format, const std::string& public_url, const std::string& title, const std::string& page_path,
              const std::vector<Item>& items) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  std::string self = public_url + page_path + "/" + format + ".xml";
  if (format == "rss") {
    out += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>" + x(title) + "</title><link>" +
           x(public_url + page_path) + "</link><description>" + x(title) +
           "</description><language>vi</language><atom:link href=\"" + x(self) + "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
    for (const auto& it : items) {
      std::string url = public_url + item_href(it);
      std::time_t t = static_cast<std::time_t>(it.published_at.value_or(it.updated_at) / 1000);
      std::tm tm{};
      gmtime_r(&t, &tm);
      char date[64];
      std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
      out += "<item><title>" + x(it.title) + "</title><link>" + x(url) + "</link><guid isPermaLink=\"true\">" + x(url) +
             "</guid><pubDate>" + date + "</pubDate><author>" + x(it.org_name) + "</author><description>" + x(it.summary) +
             "</description></item>\n";
    }
    out += "</channel></rss>\n";
  } else {
    int64_t updated = items.empty() ? core::now_ms() : items.front().published_at.value_or(items.front().updated_at);
    out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\"><title>" + x(title) + "</title><id>" + x(self) +
           "</id><link rel=\"self\" href=\"" + x(self) + "\"/><link href=\"" + x(public_url + page_path) + "\"/><updated>" +
           core::iso8601(updated) + "</updated>\n";
    for (const auto& it : items) {
      std::string url = public_url + item_href(it);
      out += "<entry><title>" + x(it.title) + "</title><id>" + x(url) + "</id><link href=\"" + x(url) + "\"/><updated>" +
             core::iso8601(it.updated_at) + "</updated><published>" + core::iso8601(it.published_at.value_or(it.updated_at)) +
             "</published><author><name>" + x(it.org_name) + "</name></author><summary>" + x(it.summary) + "</summary></entry>\n";
    }
    out += "</feed>\n";
  }
  Response r;
  r.content_type = format == "rss" ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8";
  r.set_header("cache-control", "public, max-age=300");
  r.body = std::move(out);
  return r;
}

// A stored file, with single byte ranges (RFC 7233) so players can seek and learn the
// duration of Ogg/MP3 files; a bad range is 416.
Response file_response(const Request& req, const std::string& path, const std::string& type, const std::string& cache) {
  std::ifstream in(path, std::ios::binary);
  if (!in) http::fail(ErrorCode::NotFound);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string body = ss.str();
  Response res;
  res.content_type = type;
  res.set_header("cache-control", cache);
  res.set_header("accept-ranges", "bytes");
  std::string_view range = req.header("range");
  if (range.starts_with("bytes=") && range.find(',') == std::string_view::npos) {
    const int64_t size = static_cast<int64_t>(body.size());
    std::string spec(range.substr(6));
    auto dash = spec.find('-');
    int64_t first = -1, last = size - 1;
    bool ok = dash != std::string::npos && spec.find_first_not_of("0123456789-") == std::string::npos && spec.size() < 40;
    if (ok && dash == 0) {  // suffix: the last N bytes
      int64_t n = std::atoll(spec.c_str() + 1);
      ok = n > 0;
      first = std::max<int64_t>(0, size - n);
    } else if (ok) {
      first = std::atoll(spec.substr(0, dash).c_str());
      if (dash + 1 < spec.size()) last = std::min<int64_t>(last, std::atoll(spec.c_str() + dash + 1));
      ok = first <= last && first < size;
    }
    if (!ok) {
      Response bad = Response::text("Khoảng byte yêu cầu không hợp lệ.", 416);
      bad.set_header("content-range", "bytes */" + std::to_string(size));
      return bad;
    }
    res.status = 206;
    res.set_header("content-range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size));
    res.body = body.substr(static_cast<size_t>(first), static_cast<size_t>(last - first + 1));
    return res;
  }
  res.body = std::move(body);
  return res;
}

std::string duration_text(int64_t ms) {
  int64_t s = ms / 1000;
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  else std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  return buf;
}

std::string size_text(int64_t bytes) {
  char buf[32];
  if (bytes >= (1 << 20)) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  else std::snprintf(buf, sizeof buf, "%lld KB", static_cast<long long>((bytes + 1023) / 1024));
  return buf;
}

json media_view(const Media& m) {
  std::string ext = m.path.substr(m.path.rfind('.') + 1);
  json j = {{"id", m.id},
            {"kind", m.kind},
            {"is_image", m.kind == "image"},
            {"is_audio", m.kind == "audio"},
            {"is_video", m.kind == "video"},
            {"is_pdf", m.kind == "pdf"},
            {"mime", m.mime},
            {"filename", m.filename},
            {"size", size_text(m.size)},
            {"alt", m.alt},
            {"transcript", m.transcript},
            {"needs_alt", m.kind == "image" && m.alt.empty()},
            {"needs_transcript", (m.kind == "audio" || m.kind == "video") && m.transcript.empty()},
            {"src", "/media/" + std::to_string(m.id) + "/goc." + ext},
            {"width", m.width},
            {"height", m.height},
            {"duration", m.duration_ms ? duration_text(m.duration_ms) : ""},
            {"org_code", m.org_code}};
  if (m.kind == "image") {
    j["thumb"] = "/media/" + std::to_string(m.id) + "/w320.webp";
    j["srcset"] = "/media/" + std::to_string(m.id) + "/w320.webp 320w, /media/" + std::to_string(m.id) + "/w800.webp 800w";
    // Displayed size of the 800-wide variant, so the layout does not shift.
    int w = std::min(800, m.width);
    j["display_w"] = w;
    j["display_h"] = m.width ? static_cast<int>(static_cast<int64_t>(m.height) * w / m.width) : m.height;
  }
  return j;
}

Response list_page(Request& req, Service& svc, const web::Site& site, ListQuery q, const std::string& title,
                   const std::string& base, const std::string& intro, bool feeds) {
  q.page = page_of(req);
  auto p = http::unwrap(svc.list(q));
  if (q.page > 1 && p.items.empty()) http::fail(Error::of(ErrorCode::NotFound, "Không có trang này trong danh sách."));
  json data = {{"heading", title}, {"intro", intro}, {"items", cards(p.items)}, {"empty", p.items.empty()},
               {"pager", pager(p, base)}, {"total", p.total}, {"rating", rating_form(req, std::nullopt)}};
  if (feeds) data["feeds"] = {{"rss", base + "/rss.xml"}, {"atom", base + "/atom.xml"}};
  data["head_extra"] = head_for(site, feeds ? feed_links(base, title) : "");
  data["description"] = intro.empty() ? title : intro;
  return render_page(site, req, title, "portal_list", data);
}

}  // namespace

// Public pages are the same for every anonymous visitor (the rating form included): the
// server's page cache may answer them for a few seconds; a write on this node clears it.
constexpr http::RouteOptions kPublicPage{0, false, false, 5};

Response home_page(Request& req, Service& svc, const web::Site& site, const Extras& extras) {
  ListQuery featured;
  featured.featured_only = true;
  featured.per_page = 3;
  ListQuery latest;
  latest.kind = "tin_bai";
  latest.per_page = 6;
  ListQuery materials;
  materials.kind = "tai_lieu";
  materials.per_page = 6;
  json data = {{"featured", cards(http::unwrap(svc.list(featured)).items)},
               {"latest", cards(http::unwrap(svc.list(latest)).items)},
               {"materials", cards(http::unwrap(svc.list(materials)).items)},
               {"audiences", options(audiences(), "")},
               {"formats", options(formats(), "")},
               {"rating", rating_form(req, std::nullopt)}};
  if (extras.new_documents) data["documents"] = extras.new_documents();
  if (extras.upcoming_contests) data["contests"] = extras.upcoming_contests();
  if (extras.sections) data["sections"] = extras.sections();
  data["head_extra"] = head_for(site, feed_links("/tin-tuc", "Tin tức") + og_tags(svc.options().public_url + "/", site.name(),
                                 "Tin tức, tài liệu phổ biến pháp luật cho mọi người dân.", ""));
  data["description"] = "Cổng phổ biến, giáo dục pháp luật: tin tức, tài liệu, văn bản pháp luật, cuộc thi.";
  return render_page(site, req, "Trang chủ", "portal_home", data);
}

void register_routes(http::Router& r, Service& svc, accounts::Service& accounts, const web::Site& site, Extras extras) {
  // ---- public lists ----------------------------------------------------------------------------
  r.get("/tin-tuc", [&](Request& req) {
    ListQuery q;
    q.kind = "tin_bai";
    return list_page(req, svc, site, q, "Tin tức", "/tin-tuc", "Tin hoạt động phổ biến, giáo dục pháp luật của tỉnh và các đơn vị.", true);
  }, kPublicPage);
  r.get("/tin-tuc/rss.xml", [&](Request&) {
    ListQuery q;
    q.kind = "tin_bai";
    q.per_page = 30;
    return feed("rss", svc.options().public_url, "Tin tức", "/tin-tuc", http::unwrap(svc.list(q)).items);
  });
  r.get("/tin-tuc/atom.xml", [&](Request&) {
    ListQuery q;
    q.kind = "tin_bai";
    q.per_page = 30;
    return feed("atom", svc.options().public_url, "Tin tức", "/tin-tuc", http::unwrap(svc.list(q)).items);
  });
  r.get("/tai-lieu", [&](Request& req) {
    ListQuery q;
    q.kind = "tai_lieu";
    q.format = req.query.get("dinh-dang");
    if (!q.format.empty() && !valid_code(formats(), q.format)) http::fail(Error::of(ErrorCode::NotFound, "Không có hình thức tài liệu này."));
    std::string title = q.format.empty() ? "Tài liệu phổ biến pháp luật" : "Tài liệu: " + label_of(formats(), q.format);
    auto res = list_page(req, svc, site, q, title, q.format.empty() ? "/tai-lieu" : "/tai-lieu?dinh-dang=" + q.format,
                         "Sổ tay, tờ gấp, bài giảng, infographic, video, audio, sách nói và tình huống pháp lý.", false);
    return res;
  }, kPublicPage);
  r.get("/chuyen-muc/{cat}", [&](Request& req) {
    ListQuery q;
    q.category = req.param("cat");
    if (!valid_code(categories(), q.category)) http::fail(Error::of(ErrorCode::NotFound, "Không có chuyên mục này."));
    return list_page(req, svc, site, q, label_of(categories(), q.category), "/chuyen-muc/" + q.category, "", true);
  }, kPublicPage);
  for (const char* fmt : {"rss", "atom"}) {
    std::string f = fmt;
    r.get("/chuyen-muc/{cat}/" + f + ".xml", [&, f](Request& req) {
      ListQuery q;
      q.category = req.param("cat");
      if (!valid_code(categories(), q.category)) http::fail(Error::of(ErrorCode::NotFound, "Không có chuyên mục này."));
      q.per_page = 30;
      return feed(f, svc.options().public_url, label_of(categories(), q.category), "/chuyen-muc/" + q.category, http::unwrap(svc.list(q)).items);
    });
    r.get("/don-vi/{code}/" + f + ".xml", [&, f](Request& req) {
      auto org = http::unwrap(accounts.find_org(req.param("code")));
      if (!org) http::fail(Error::of(ErrorCode::NotFound, "Không có đơn vị này."));
      ListQuery q;
      q.org_code = org->code;
      q.per_page = 30;
      return feed(f, svc.options().public_url, org->name, "/don-vi/" + org->code, http::unwrap(svc.list(q)).items);
    });
  }
  r.get("/doi-tuong/{aud}", [&](Request& req) {
    ListQuery q;
    q.audience = req.param("aud");
    if (!valid_code(audiences(), q.audience)) http::fail(Error::of(ErrorCode::NotFound, "Không có nhóm đối tượng này."));
    return list_page(req, svc, site, q, "Dành cho " + label_of(audiences(), q.audience), "/doi-tuong/" + q.audience, "", false);
  }, kPublicPage);
  r.get("/ngon-ngu/{lang}", [&](Request& req) {
    ListQuery q;
    q.language = req.param("lang");
    if (!valid_code(languages(), q.language)) http::fail(Error::of(ErrorCode::NotFound, "Không có ngôn ngữ này."));
    return list_page(req, svc, site, q, label_of(languages(), q.language), "/ngon-ngu/" + q.language, "", false);
  }, kPublicPage);
  r.get("/chu-de/{topic}", [&](Request& req) {
    ListQuery q;
    q.topic = req.param("topic");
    if (q.topic.size() > 200) http::fail(Error::of(ErrorCode::NotFound, "Không có chủ đề này."));
    return list_page(req, svc, site, q, "Chủ đề: " + q.topic, "/chu-de/" + http::percent_encode(q.topic), "", false);
  }, kPublicPage);
  r.get("/don-vi/{code}", [&](Request& req) {
    auto org = http::unwrap(accounts.find_org(req.param("code")));
    if (!org) http::fail(Error::of(ErrorCode::NotFound, "Không có đơn vị này."));
    ListQuery q;
    q.org_code = org->code;
    std::string intro = org->portal_url.empty() ? "Tin bài và tài liệu do đơn vị đăng trên cổng tỉnh."
                                                : "Tin bài và tài liệu do đơn vị đăng trên cổng tỉnh. Trang riêng của đơn vị: " + org->portal_url;
    return list_page(req, svc, site, q, org->name, "/don-vi/" + org->code, intro, true);
  }, kPublicPage);
  r.get("/don-vi", [&](Request& req) {
    json list = json::array();
    auto health = http::unwrap(svc.link_status());
    for (const auto& o : http::unwrap(accounts.org_tree())) {
      json j = {{"name", o.name}, {"code", o.code}, {"type_label", accounts::org_type_label(o.type)}, {"portal_url", o.portal_url},
                {"depth", o.depth()}, {"sub", o.depth() > 0}};
      for (const auto& [code, st] : health)
        if (code == o.code) j["health"] = {{"ok", st.first}, {"status", st.second}};
      list.push_back(std::move(j));
    }
    return render_page(site, req, "Danh bạ đơn vị", "portal_units",
                     {{"orgs", list}, {"head_extra", head_for(site)}, {"rating", rating_form(req, std::nullopt)}});
  }, kPublicPage);

  // ---- item pages ------------------------------------------------------------------------------
  for (const char* kp : {"tin-tuc", "tai-lieu", "trang"}) {
    const std::string kpath = kp;
    auto find_view = [&svc, kpath](Request& req) {
      auto v = http::unwrap(svc.view(req.param("slug")));
      if (!v || kind_path(v->item.kind) != kpath) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy bài này, hoặc bài đã được gỡ."));
      return std::move(*v);
    };
    r.get("/" + kpath + "/{slug}", [&, find_view, kpath](Request& req) {
      ItemView v = find_view(req);
      const Item& it = v.item;
      const bool print = req.query.get("in") == "1";
      auto pages = split_pages(it.body);
      int page = 1;
      if (!req.query.get("trang").empty()) page = page_of(req);
      if (page > static_cast<int>(pages.size())) http::fail(Error::of(ErrorCode::NotFound, "Sổ tay không có trang này."));
      std::string body_html;
      if (print) {
        for (const auto& p : pages) body_html += markdown_html(p);
      } else {
        body_html = markdown_html(pages[static_cast<size_t>(page - 1)]);
      }
      const std::string href = item_href(it);
      json data = card(it);
      data["body_html"] = body_html;
      data["kind_label"] = label_of(kinds(), it.kind);
      data["kind_path"] = kpath;
      data["is_material"] = it.kind == "tai_lieu";
      data["print"] = print;
      data["category"] = {{"href", "/chuyen-muc/" + it.category}, {"label", label_of(categories(), it.category)}};
      data["language"] = it.language;
      if (pages.size() > 1 && !print) {
        json nav = json::array();
        for (size_t i = 1; i <= pages.size(); ++i)
          nav.push_back({{"n", i}, {"href", href + (i == 1 ? "" : "?trang=" + std::to_string(i))}, {"current", static_cast<int>(i) == page}});
        data["pages"] = nav;
        data["page_label"] = "Trang " + std::to_string(page) + "/" + std::to_string(pages.size());
        if (page > 1) data["page_prev"] = href + (page == 2 ? "" : "?trang=" + std::to_string(page - 1));
        if (page < static_cast<int>(pages.size())) data["page_next"] = href + "?trang=" + std::to_string(page + 1);
      }
      json topics = json::array();
      for (const auto& t : it.topics) topics.push_back({{"label", t}, {"href", "/chu-de/" + http::percent_encode(t)}});
      data["topics"] = topics;
      json refs = json::array();
      for (const auto& ref : it.legal_refs) {
        // "/van-ban/luat-x/dieu-12/khoan-2" → "luat-x, Điều 12 khoản 2"
        std::string label = ref.substr(9);
        auto slash = label.find('/');
        std::string doc = label.substr(0, slash), where;
        if (slash != std::string::npos) {
          where = label.substr(slash + 1);
          for (auto& c : where) if (c == '/' || c == '-') c = ' ';
          if (where.starts_with("dieu")) where = "Điều" + where.substr(4);
          auto k = where.find("khoan");
          if (k != std::string::npos) where.replace(k, 5, "khoản");
          auto d = where.find("diem");
          if (d != std::string::npos) where.replace(d, 4, "điểm");
        }
        refs.push_back({{"href", ref}, {"label", where.empty() ? doc : where + " – " + doc}});
      }
      data["legal_refs"] = refs;
      json attachments = json::array();
      const Media* recording = nullptr;
      for (const auto& m : v.media) {
        if (it.audio_media_id && m.id == *it.audio_media_id) {
          recording = &m;
          continue;
        }
        json mv = media_view(m);
        if (it.cover_media_id && m.id == *it.cover_media_id) {
          data["cover"] = mv;
          continue;
        }
        // Images the body shows inline are not repeated below it.
        if (m.kind == "image" && body_html.find("/media/" + std::to_string(m.id) + "/") != std::string::npos) continue;
        attachments.push_back(std::move(mv));
      }
      data["attachments"] = attachments;
      if (!it.media_url.empty()) data["media_url"] = it.media_url;
      if (recording) {
        data["audio"] = {{"src", href + "/nghe"}, {"human", true}, {"mime", recording->mime},
                         {"duration", duration_text(recording->duration_ms)}, {"transcript", recording->transcript}};
      } else if (!it.tts_path.empty()) {
        data["audio"] = {{"src", href + "/nghe"}, {"human", false}, {"mime", "audio/ogg"}};
      } else {
        data["audio_pending"] = true;
      }
      json tr = json::array();
      if (v.source) tr.push_back({{"href", item_href(*v.source)}, {"label", label_of(languages(), v.source->language) + " (bản gốc)"},
                                  {"lang", std::string(language_tag(v.source->language))}});
      for (const auto& t : v.translations)
        tr.push_back({{"href", item_href(t)}, {"label", label_of(languages(), t.language)}, {"lang", std::string(language_tag(t.language))}});
      data["translations"] = tr;
      data["qr"] = href + "/qr.svg";
      data["print_href"] = href + "?in=1";
      data["rating"] = rating_form(req, it.id);
      std::string url = svc.options().public_url + href;
      std::string image = data.contains("cover") ? svc.options().public_url + data["cover"]["src"].get<std::string>() : "";
      data["head_extra"] = head_for(site, og_tags(url, it.title, it.summary, image));
      data["description"] = it.summary.empty() ? it.title : it.summary;
      return render_page(site, req, it.title, "portal_item", data);
    }, kPublicPage);
    r.get("/" + kpath + "/{slug}/qr.svg", [&, find_view](Request& req) {
      ItemView v = find_view(req);
      auto svg = qr_svg(svc.options().public_url + item_href(v.item));
      if (!svg) http::fail(ErrorCode::NotFound);
      Response res;
      res.content_type = "image/svg+xml";
      res.set_header("cache-control", "public, max-age=86400");
      res.body = std::move(*svg);
      return res;
    }, {0, false, true});
    r.get("/" + kpath + "/{slug}/nghe", [&, find_view](Request& req) {
      ItemView v = find_view(req);
      std::string file, mime;
      if (v.item.audio_media_id) {
        for (const auto& m : v.media)
          if (m.id == *v.item.audio_media_id) file = svc.media_file(m), mime = m.mime;
      } else if (!v.item.tts_path.empty()) {
        file = svc.tts_file(v.item.tts_path);
        mime = "audio/ogg";
      }
      if (file.empty()) http::fail(Error::of(ErrorCode::NotFound, "Bản đọc của bài này đang được chuẩn bị."));
      return file_response(req, file, mime, "public, max-age=3600");
    });
  }

  // ---- media files -----------------------------------------------------------------------------
  r.get("/media/{id:int}/{file}", [&](Request& req) {
    auto m = http::unwrap(svc.media(req.param_int("id")));
    if (!m) http::fail(ErrorCode::NotFound);
    std::string f = req.param("file"), path, type = m->mime;
    std::string ext = m->path.substr(m->path.rfind('.') + 1);
    if (f == "goc." + ext) {
      path = svc.media_file(*m);
    } else if (m->kind == "image" && (f == "w320.webp" || f == "w800.webp")) {
      path = svc.media_file(*m, f.substr(0, 4));
      type = "image/webp";
    } else {
      http::fail(ErrorCode::NotFound);
    }
    // Content-addressed (the file never changes under this id).
    auto res = file_response(req, path, type, "public, max-age=31536000, immutable");
    if (m->kind == "pdf") res.set_header("content-disposition", "inline");
    return res;
  }, {0, false, true});

  // ---- search, sitemap -------------------------------------------------------------------------
  r.get("/tim-kiem", [&, extras](Request& req) {
    std::string q = std::string(core::trim(req.query.get("q")));
    if (q.size() > 500) q.resize(500);
    while (!q.empty() && !core::utf8_valid(q)) q.pop_back();
    int page = page_of(req);
    json data = {{"q", q}, {"has_query", !q.empty()}, {"head_extra", head_for(site)}, {"rating", rating_form(req, std::nullopt)}};
    if (!q.empty()) {
      auto res = svc.search(q, "", static_cast<size_t>(page - 1) * 10, 10);
      if (!res) {
        data["error"] = res.error().message;
      } else {
        json hits = json::array();
        for (const auto& h : res->hits) {
          auto p = json::parse(h.payload, nullptr, false);
          if (p.is_discarded()) continue;
          std::string kind = p.value("kind", "");
          hits.push_back({{"title", p.value("title", "")}, {"href", p.value("href", "")}, {"snippet", h.snippet},
                          {"label", kind == "tai_lieu" ? label_of(formats(), p.value("format", "")) : label_of(kinds(), kind)},
                          {"org_name", p.value("org_name", "")}});
        }
        data["hits"] = hits;
        data["total_text"] = "Khoảng " + std::to_string(res->total) + " tin bài, tài liệu.";
        json pg = json::object();
        std::string base = "/tim-kiem?q=" + http::percent_encode(q);
        if (page > 1) pg["prev"] = base + (page == 2 ? "" : "&trang=" + std::to_string(page - 1));
        if (res->total > static_cast<size_t>(page) * 10 && res->hits.size() == 10) pg["next"] = base + "&trang=" + std::to_string(page + 1);
        if (!pg.empty()) data["pager"] = pg;
      }
      if (extras.library_search && page == 1) {
        json lib = extras.library_search(q);
        if (lib.is_array() && !lib.empty()) data["library"] = lib;
      }
      data["library_href"] = "/van-ban/tim-kiem?q=" + http::percent_encode(q);
    }
    return render_page(site, req, q.empty() ? "Tìm kiếm" : "Tìm: " + q, "portal_search", data);
  }, kPublicPage);
  r.get("/sitemap.xml", [&](Request&) {
    const std::string base = svc.options().public_url;
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    for (const char* p : {"/", "/tin-tuc", "/tai-lieu", "/van-ban", "/don-vi"}) out += "<url><loc>" + x(base + p) + "</loc></url>\n";
    for (const auto& c : categories()) out += "<url><loc>" + x(base + "/chuyen-muc/" + std::string(c.code)) + "</loc></url>\n";
    for (const auto& it : http::unwrap(svc.all_published()))
      out += "<url><loc>" + x(base + item_href(it)) + "</loc><lastmod>" + core::iso8601(it.updated_at).substr(0, 10) + "</lastmod></url>\n";
    out += "</urlset>\n";
    Response res;
    res.content_type = "application/xml; charset=utf-8";
    res.set_header("cache-control", "public, max-age=600");
    res.body = std::move(out);
    return res;
  });

  // ---- satisfaction ----------------------------------------------------------------------------
  r.post("/danh-gia", [&](Request& req) {
    auto f = http::unwrap(req.form());
    RatingInput in;
    in.path = web::safe_next(f.get("path"), "");
    in.item_id = opt_id(f.get("item_id"));
    in.score = f.get("score");
    in.comment = f.get("comment");
    in.client = req.remote_ip;
    auto st = svc.rate(accounts::Service::actor_of(req), in);
    std::string back = in.path.empty() ? "/" : in.path;
    if (!st) {
      if (req.wants_json()) return Response::json_error(st.error());
      // The message goes back to the page the person rated, in the same place.
      return web::redirect_with_flash(back + "#danh-gia", st.error().message);
    }
    if (req.wants_json()) return Response::json({{"ok", true}});
    return web::redirect_with_flash(back + "#danh-gia", "Cảm ơn bạn đã đánh giá! Ý kiến của bạn giúp chúng tôi làm tốt hơn.");
  }, {0, false, false, 0, true});  // a rating changes no public page: the page cache stays

  // ---- newsroom --------------------------------------------------------------------------------
  auto org_options = [&](const Request& req, const std::string& selected) {
    json out = json::array();
    for (const auto& o : http::unwrap(accounts.org_tree()))
      if (accounts::Service::can(req.user, Permission::EditContent, o.path))
        out.push_back({{"code", o.code}, {"label", o.name}, {"selected", o.code == selected || (selected.empty() && o.id == req.user.org_id)}});
    return out;
  };
  auto edit_page = [&, org_options](Request& req, const std::optional<Item>& item, const ItemInput& in, const std::optional<Error>& err,
                                    const std::string& preview, int status) {
    json data = form_view(in);
    data["orgs"] = org_options(req, in.org_code);
    data["head_extra"] = head_for(site);
    if (err) data["error"] = {{"message", err->message}, {"field", err->field}, {"conflict", err->code == ErrorCode::Conflict}};
    if (!preview.empty()) data["preview"] = preview;
    if (item) {
      const Item& it = *item;
      data["item"] = {{"id", it.id}, {"version", it.version}, {"status", it.status}, {"status_label", label_of(statuses(), it.status)},
                      {"href", item_href(it)}, {"org_name", it.org_name}, {"review_note", it.review_note},
                      {"is_draft", it.status == "draft"}, {"is_submitted", it.status == "submitted"},
                      {"can_publish", it.status == "submitted" || it.status == "approved" || it.status == "unpublished"},
                      {"is_published", it.status == "published" || (it.status == "approved" && it.publish_at)},
                      {"scheduled", it.publish_at ? core::vn_datetime(*it.publish_at) : ""},
                      {"unpublish_at", it.unpublish_at ? core::vn_datetime(*it.unpublish_at) : ""}};
      json revs = json::array();
      for (const auto& rv : http::unwrap(svc.revisions(it.id)))
        revs.push_back({{"version", rv.version}, {"author", rv.author}, {"note", rv.note}, {"at", core::vn_datetime(rv.created_at)}});
      data["revisions"] = revs;
      data["has_diff"] = revs.size() > 1;
    }
    return render_page(site, req, item ? "Sửa: " + item->title : "Viết bài mới", "portal_edit", data, status);
  };

  r.get("/quan-tri/noi-dung", [&](Request& req) {
    require_editor(req);
    std::string status = req.query.get("trang-thai");
    if (!status.empty() && !valid_code(statuses(), status)) status.clear();
    json rows = json::array();
    for (const auto& it : http::unwrap(svc.editorial_list(req.user, status))) {
      json c = card(it);
      c["id"] = it.id;
      c["status_label"] = label_of(statuses(), it.status);
      c["status"] = it.status;
      c["updated"] = core::vn_datetime(it.updated_at);
      rows.push_back(std::move(c));
    }
    json filters = json::array();
    filters.push_back({{"label", "Tất cả"}, {"href", "/quan-tri/noi-dung"}, {"current", status.empty()}});
    for (const auto& s : statuses())
      filters.push_back({{"label", s.label}, {"href", "/quan-tri/noi-dung?trang-thai=" + std::string(s.code)}, {"current", status == s.code}});
    return render_page(site, req, "Quản lý nội dung", "portal_admin",
                     {{"items", rows}, {"filters", filters}, {"empty", rows.empty()}, {"head_extra", head_for(site)}});
  });
  r.get("/quan-tri/noi-dung/moi", [&, edit_page](Request& req) {
    require_editor(req);
    ItemInput in;
    if (req.query.get("loai") == "tai_lieu") {
      in.kind = "tai_lieu";
      in.format = "so_tay";
      in.category = "tai-lieu-tuyen-truyen";
    }
    if (auto src = opt_id(req.query.get("ban-dich-cua"))) {
      auto it = http::unwrap(svc.get(*src));
      if (it) {
        in = input_of(*it, {});
        in.source_id = it->id;
        in.language = "";
        in.title += " (bản dịch)";
      }
    }
    return edit_page(req, std::nullopt, in, std::nullopt, "", 200);
  });
  r.post("/quan-tri/noi-dung", [&, edit_page](Request& req) {
    require_editor(req);
    auto f = http::unwrap(req.form());
    ItemInput in = input_from(f);
    if (f.get("action") == "preview") return edit_page(req, std::nullopt, in, std::nullopt, markdown_html(in.body), 200);
    auto created = svc.create(req.user, accounts::Service::actor_of(req), in);
    if (!created) return edit_page(req, std::nullopt, in, created.error(), "", core::error_status(created.error().code));
    return web::redirect_with_flash("/quan-tri/noi-dung/" + std::to_string(created->id), "Đã lưu bản nháp.");
  });
  r.get("/quan-tri/noi-dung/{id:int}", [&, edit_page](Request& req) {
    require_editor(req);
    auto it = http::unwrap(svc.get(req.param_int("id")));
    if (!it) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy bài này."));
    auto v = http::unwrap(svc.view(it->slug, true));
    std::vector<int64_t> ids;
    // Attachments are what the item lists besides cover and recording.
    for (const auto& m : v ? v->media : std::vector<Media>{})
      if (m.id != it->cover_media_id.value_or(-1) && m.id != it->audio_media_id.value_or(-1) &&
          it->body.find("/media/" + std::to_string(m.id) + "/") == std::string::npos)
        ids.push_back(m.id);
    return edit_page(req, *it, input_of(*it, ids), std::nullopt, "", 200);
  });
  r.post("/quan-tri/noi-dung/{id:int}", [&, edit_page](Request& req) {
    require_editor(req);
    auto f = http::unwrap(req.form());
    int64_t id = req.param_int("id");
    auto cur = http::unwrap(svc.get(id));
    if (!cur) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy bài này."));
    ItemInput in = input_from(f);
    if (f.get("action") == "preview") return edit_page(req, *cur, in, std::nullopt, markdown_html(in.body), 200);
    auto version = opt_id(f.get("version"));
    if (!version) http::fail(Error::of(ErrorCode::BadRequest, "Biểu mẫu thiếu số phiên bản; hãy tải lại trang."));
    auto saved = svc.update(req.user, accounts::Service::actor_of(req), id, *version, in, f.get("note"));
    // On a conflict the form keeps what this person typed; nothing of theirs or the other
    // person's is lost, and the version field stays at what they started from.
    if (!saved) return edit_page(req, *cur, in, saved.error(), "", core::error_status(saved.error().code));
    return web::redirect_with_flash("/quan-tri/noi-dung/" + std::to_string(id), "Đã lưu (phiên bản " + std::to_string(saved->version) + ").");
  });
  r.post("/quan-tri/noi-dung/{id:int}/{action}", [&](Request& req) {
    require_editor(req);
    auto f = http::unwrap(req.form());
    int64_t id = req.param_int("id");
    auto version = opt_id(f.get("version"));
    if (!version) http::fail(Error::of(ErrorCode::BadRequest, "Biểu mẫu thiếu số phiên bản; hãy tải lại trang."));
    auto a = accounts::Service::actor_of(req);
    std::string action = req.param("action");
    core::Result<Item> r2 = Error::of(ErrorCode::NotFound);
    std::string done;
    auto parse_time = [](const std::string& s, const char* field) -> std::optional<int64_t> {
      // <input type="datetime-local">: "2026-11-22T14:30" in Vietnam time.
      if (s.empty()) return std::nullopt;
      std::tm tm{};
      char tail = 0;
      if (s.size() < 16 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tail) < 5 ||
          tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_year < 2000 || tm.tm_year > 2200)
        http::fail(Error::of(ErrorCode::Validation, "Thời điểm phải có dạng NNNN-TT-NNTgg:pp.", field));
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      return static_cast<int64_t>(timegm(&tm) - 7 * 3600) * 1000;
    };
    if (action == "gui-duyet") {
      r2 = svc.submit(req.user, a, id, *version);
      done = "Đã gửi bài cho người duyệt.";
    } else if (action == "duyet") {
      r2 = svc.approve(req.user, a, id, *version);
      done = "Đã duyệt bài.";
    } else if (action == "tra-lai") {
      r2 = svc.reject(req.user, a, id, *version, f.get("note"));
      done = "Đã trả lại bài cho người viết.";
    } else if (action == "xuat-ban") {
      PublishOptions o;
      o.publish_at = parse_time(f.get("publish_at"), "publish_at");
      o.unpublish_at = parse_time(f.get("unpublish_at"), "unpublish_at");
      r2 = svc.publish(req.user, a, id, *version, o);
      done = "Đã xuất bản.";
      if (r2 && r2->status == "approved") done = "Đã hẹn giờ xuất bản lúc " + core::vn_datetime(*r2->publish_at) + ".";
    } else if (action == "go") {
      r2 = svc.unpublish(req.user, a, id, *version);
      done = "Đã gỡ bài khỏi cổng.";
    } else {
      http::fail(ErrorCode::NotFound);
    }
    if (!r2) {
      if (r2.error().code == ErrorCode::Forbidden || r2.error().code == ErrorCode::NotFound) http::fail(r2.take_error());
      return web::redirect_with_flash("/quan-tri/noi-dung/" + std::to_string(id), r2.error().message);
    }
    return web::redirect_with_flash("/quan-tri/noi-dung/" + std::to_string(id), done);
  });
  r.get("/quan-tri/noi-dung/{id:int}/phien-ban", [&](Request& req) {
    require_editor(req);
    int64_t id = req.param_int("id");
    auto it = http::unwrap(svc.get(id));
    if (!it) http::fail(ErrorCode::NotFound);
    auto revs = http::unwrap(svc.revisions(id));
    if (revs.size() < 2) http::fail(Error::of(ErrorCode::NotFound, "Bài này mới có một phiên bản."));
    auto pick = [&](const std::string& s, const Revision& dflt) {
      auto v = opt_id(s);
      if (!v) return dflt;
      for (const auto& r : revs)
        if (r.version == *v) return r;
      http::fail(Error::of(ErrorCode::NotFound, "Không có phiên bản " + s + "."));
    };
    Revision to = pick(req.query.get("den"), revs[0]);
    Revision from = pick(req.query.get("tu"), revs[1]);
    auto text = [](const Revision& r) { return "# " + r.title + "\n\n" + r.summary + "\n\n" + r.body; };
    json lines = json::array();
    int added = 0, removed = 0;
    for (const auto& d : diff_lines(text(from), text(to))) {
      lines.push_back({{"op", std::string(1, d.op)}, {"text", d.text}, {"add", d.op == '+'}, {"del", d.op == '-'}});
      added += d.op == '+';
      removed += d.op == '-';
    }
    json versions = json::array();
    for (const auto& r : revs) versions.push_back({{"version", r.version}, {"author", r.author}, {"at", core::vn_datetime(r.created_at)}});
    return render_page(site, req, "So sánh phiên bản", "portal_diff",
                     {{"id", id}, {"title", it->title}, {"from", from.version}, {"to", to.version}, {"lines", lines},
                      {"added", added}, {"removed", removed}, {"versions", versions}, {"head_extra", head_for(site)}});
  });

  // ---- media library ---------------------------------------------------------------------------
  auto media_page = [&](Request& req, const std::optional<Error>& err, int status) {
    json list = json::array();
    for (const auto& m : http::unwrap(svc.media_list(page_of(req)))) list.push_back(media_view(m));
    json data = {{"media", list}, {"empty", list.empty()}, {"head_extra", head_for(site)},
                 {"limits", "Ảnh tối đa 10 MB; PDF 20 MB; âm thanh 40 MB; video 60 MB."}};
    if (err) data["error"] = {{"message", err->message}};
    return render_page(site, req, "Thư viện media", "portal_media", data, status);
  };
  r.get("/quan-tri/thu-vien", [&, media_page](Request& req) {
    require_editor(req);
    return media_page(req, std::nullopt, 200);
  });
  r.post("/quan-tri/thu-vien", [&, media_page](Request& req) {
    require_editor(req);
    auto parts = parse_multipart(req.header("content-type"), req.body);
    if (!parts) return media_page(req, parts.error(), core::error_status(parts.error().code));
    // A file form carries its CSRF token as a part (see http/multipart.h).
    if (!http::multipart_csrf_ok(req, *parts)) http::fail(ErrorCode::CsrfFailed);
    std::string alt, transcript, org;
    const Part* file = nullptr;
    for (const auto& p : *parts) {
      if (p.name == "file" && !file) file = &p;
      else if (p.name == "alt") alt = p.data;
      else if (p.name == "transcript") transcript = p.data;
      else if (p.name == "org_code") org = p.data;
    }
    if (!file || file->filename.empty()) {
      Error e = Error::of(ErrorCode::Validation, "Hãy chọn một tệp để tải lên.", "file");
      return media_page(req, e, 422);
    }
    auto m = svc.upload(req.user, accounts::Service::actor_of(req), file->filename, file->data, alt, transcript, org);
    if (!m) {
      if (req.wants_json()) return Response::json_error(m.error());
      return media_page(req, m.error(), core::error_status(m.error().code));
    }
    if (req.wants_json()) return Response::json({{"id", m->id}, {"src", media_view(*m)["src"]}}, 201);
    return web::redirect_with_flash("/quan-tri/thu-vien", "Đã tải lên “" + m->filename + "” (mã tệp " + std::to_string(m->id) + ").");
  }, {kMaxUpload, /*csrf_exempt: checked in the handler*/ true, false});
  r.post("/quan-tri/thu-vien/{id:int}", [&](Request& req) {
    require_editor(req);
    auto f = http::unwrap(req.form());
    auto m = http::unwrap(svc.update_media(req.user, accounts::Service::actor_of(req), req.param_int("id"), f.get("alt"), f.get("transcript")));
    return web::redirect_with_flash("/quan-tri/thu-vien", "Đã cập nhật mô tả của “" + m.filename + "”.");
  });

  // ---- satisfaction report -----------------------------------------------------------------------
  r.get("/quan-tri/danh-gia", [&](Request& req) {
    if (!req.user.signed_in()) http::fail(ErrorCode::Unauthorized);
    auto rep = http::unwrap(svc.rating_report(req.user));
    // Server-rendered SVG bar chart: share of 4–5 ratings per month, with the 90 % target line.
    const int bar = 48, gap = 16, h = 200, top = 20, left = 40;
    int w = left + static_cast<int>(rep.by_month.size()) * (bar + gap) + gap;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(std::max(w, 240)) + " " +
                      std::to_string(h + top + 40) + "\" role=\"img\" aria-labelledby=\"bieu-do-tieu-de\" class=\"chart\">"
                      "<title id=\"bieu-do-tieu-de\">Tỷ lệ hài lòng (đánh giá 4–5) theo tháng</title>";
    for (int pct : {0, 50, 100}) {
      int y = top + h - h * pct / 100;
      svg += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(std::max(w, 240)) + "\" y1=\"" + std::to_string(y) +
             "\" y2=\"" + std::to_string(y) + "\" class=\"grid\"/><text x=\"0\" y=\"" + std::to_string(y + 4) + "\">" + std::to_string(pct) + "%</text>";
    }
    int target = top + h - h * 90 / 100;
    svg += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(std::max(w, 240)) + "\" y1=\"" + std::to_string(target) +
           "\" y2=\"" + std::to_string(target) + "\" class=\"target\"/>";
    int xpos = left + gap;
    json rows = json::array();
    for (const auto& s : rep.by_month) {
      double pct = s.satisfied_pct();
      int bh = static_cast<int>(h * pct / 100.0 + 0.5);
      char pbuf[16];
      std::snprintf(pbuf, sizeof pbuf, "%.0f%%", pct);
      svg += "<rect x=\"" + std::to_string(xpos) + "\" y=\"" + std::to_string(top + h - bh) + "\" width=\"" + std::to_string(bar) +
             "\" height=\"" + std::to_string(bh) + "\" class=\"" + (pct >= 90 ? "bar ok" : "bar low") + "\"><title>" + s.key + ": " + pbuf +
             " hài lòng, " + std::to_string(s.count) + " lượt</title></rect><text x=\"" + std::to_string(xpos + bar / 2) + "\" y=\"" +
             std::to_string(top + h - bh - 4) + "\" text-anchor=\"middle\">" + pbuf + "</text><text x=\"" + std::to_string(xpos + bar / 2) +
             "\" y=\"" + std::to_string(top + h + 18) + "\" text-anchor=\"middle\">" + s.key.substr(5) + "/" + s.key.substr(0, 4) + "</text>";
      xpos += bar + gap;
    }
    svg += "</svg>";
    auto stat_rows = [](const std::vector<RatingStat>& v) {
      json out = json::array();
      for (const auto& s : v) {
        char avg[16], pct[16];
        std::snprintf(avg, sizeof avg, "%.2f", s.average);
        std::snprintf(pct, sizeof pct, "%.1f %%", s.satisfied_pct());
        out.push_back({{"key", s.key}, {"label", s.label}, {"count", s.count}, {"average", avg}, {"pct", pct}, {"ok", s.satisfied_pct() >= 90}});
      }
      return out;
    };
    json comments = json::array();
    for (const auto& c : rep.comments)
      comments.push_back({{"path", c.path}, {"score", c.score}, {"comment", c.comment}, {"at", core::vn_datetime(c.created_at)}});
    char pct[16], avg[16];
    std::snprintf(pct, sizeof pct, "%.1f %%", rep.total.satisfied_pct());
    std::snprintf(avg, sizeof avg, "%.2f", rep.total.average);
    return render_page(site, req, "Mức độ hài lòng", "portal_ratings",
                     {{"chart", svg}, {"months", stat_rows(rep.by_month)}, {"items", stat_rows(rep.by_item)}, {"orgs", stat_rows(rep.by_org)},
                      {"comments", comments}, {"total_count", rep.total.count}, {"total_pct", pct}, {"total_avg", avg},
                      {"kpi_ok", rep.total.count > 0 && rep.total.satisfied_pct() >= 90}, {"empty", rep.total.count == 0},
                      {"head_extra", head_for(site)}});
  });
}

}  // namespace pbgdpl::portal
