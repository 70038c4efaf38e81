#include "web/site.h"

#include "core/assets.h"
#include "core/crypto.h"
#include "core/utf8.h"

void pbgdpl_embed_pbgdpl_web_web();

namespace pbgdpl::web {

using core::Error;
using core::ErrorCode;
using http::Request;
using http::Response;

Site::Site(std::string site_name) : name_(std::move(site_name)) {}

namespace {
std::string mime_of(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "application/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".png")) return "image/png";
  if (name.ends_with(".woff2")) return "font/woff2";
  return "application/octet-stream";
}

std::string heading_for(ErrorCode c) {
  switch (c) {
    case ErrorCode::NotFound: return "Không tìm thấy trang";
    case ErrorCode::Unauthorized: return "Cần đăng nhập";
    case ErrorCode::Forbidden:
    case ErrorCode::CsrfFailed: return "Không thể thực hiện";
    case ErrorCode::TooManyRequests: return "Thao tác quá nhanh";
    case ErrorCode::Internal:
    case ErrorCode::Unavailable: return "Hệ thống đang gặp sự cố";
    default: return "Yêu cầu không hợp lệ";
  }
}
}  // namespace

core::Status Site::load() {
  pbgdpl_embed_pbgdpl_web_web();
  PBGDPL_TRY(templates_.load_embedded("web/templates/"));
  for (const auto& full : core::list_assets("web/static/")) {
    auto bytes = *core::find_asset(full);
    Asset a{full.substr(11), core::sha256_hex(bytes).substr(0, 10), mime_of(full), bytes};
    assets_.push_back(std::move(a));
  }
  return {};
}

core::Status Site::add_templates(std::string_view prefix) { return templates_.load_embedded(prefix); }

const Site::Asset* Site::find_static(std::string_view file) const {
  for (const auto& a : assets_)
    if (a.name == file) return &a;
  return nullptr;
}

std::string Site::asset_url(const std::string& file) const {
  const Asset* a = find_static(file);
  if (!a) return "/static/" + file;
  auto dot = file.rfind('.');
  return "/static/" + file.substr(0, dot) + "." + a->hash + file.substr(dot);
}

Response Site::page(const Request& req, const std::string& title, std::string_view tmpl, nlohmann::json data,
                    int status) const {
  bool large = false, contrast = false;
  if (auto ui = req.cookie("ui")) {
    large = ui->find("lg") != std::string::npos;
    contrast = ui->find("hc") != std::string::npos;
  }
  data["csrf"] = req.csrf_token;
  nlohmann::json layout = {
      {"title", title},
      {"site_name", name_},
      {"description", data.value("description", "Phổ biến, giáo dục pháp luật: văn bản, hỏi đáp, cuộc thi, khóa học.")},
      {"css_url", asset_url("app.css")},
      {"icon_url", asset_url("icon.svg")},
      {"csrf", req.csrf_token},
      {"path", req.target.empty() ? "/" : req.target},
      {"ui_class", std::string(large ? "lg " : "") + (contrast ? "hc" : "")},
      {"font_toggle", large ? "thuong" : "lon"},
      {"font_label", large ? "Cỡ chữ thường" : "Cỡ chữ lớn"},
      {"contrast_toggle", contrast ? "tat" : "bat"},
      {"contrast_label", contrast ? "Tắt tương phản cao" : "Bật tương phản cao"},
      {"head_extra", data.value("head_extra", "")},
  };
  if (req.user.signed_in())
    layout["user"] = {{"name", req.user.name}, {"admin", req.user.system_admin || req.user.has_role("unit_admin")}};
  nlohmann::json nav = nlohmann::json::array();
  for (const auto& n : nav_) {
    bool current = n.href == "/" ? req.path == "/" : req.path.rfind(n.href, 0) == 0;
    nav.push_back({{"href", n.href}, {"label", n.label}, {"current", current}});
  }
  layout["nav"] = std::move(nav);
  if (auto f = req.cookie("flash")) {
    auto msg = http::percent_decode(*f, true);
    if (msg && core::utf8_valid(*msg) && msg->size() < 500) layout["flash"] = *msg;
  }
  layout["content"] = templates_.render(tmpl, data);
  auto res = Response::html(templates_.render("layout", layout), status);
  if (req.cookie("flash")) res.add_cookie(http::make_cookie("flash", "", req.secure, 0));
  return res;
}

Response Site::error_page(const Request& req, const core::Error& e) const {
  nlohmann::json d = {{"heading", heading_for(e.code)},
                      {"message", e.message},
                      {"code", core::error_wire(e.code)},
                      {"request_id", req.request_id}};
  return page(req, heading_for(e.code), "error", d, core::error_status(e.code));
}

void Site::register_routes(http::Router& r) const {
  r.get("/static/{file*}", [this](Request& req) {
    std::string file = req.param("file");
    // "app.1a2b3c4d5e.css" → "app.css" + hash; plain "app.css" also served, briefly cached.
    std::string plain = file, hash;
    auto last = file.rfind('.');
    if (last != std::string::npos) {
      auto prev = file.rfind('.', last - 1);
      if (prev != std::string::npos && last - prev - 1 == 10) {
        hash = file.substr(prev + 1, 10);
        plain = file.substr(0, prev) + file.substr(last);
      }
    }
    const Asset* a = find_static(plain);
    if (!a || (!hash.empty() && hash != a->hash)) http::fail(ErrorCode::NotFound);
    std::string etag = "\"" + a->hash + "\"";
    Response res;
    res.content_type = a->type;
    res.set_header("etag", etag);
    res.set_header("cache-control", hash.empty() ? "public, max-age=300" : "public, max-age=31536000, immutable");
    if (req.header("if-none-match") == etag) {
      res.status = 304;
      return res;
    }
    res.body = std::string(a->bytes);
    return res;
  }, {0, false, true});
  r.get("/favicon.ico", [this](Request&) { return Response::redirect(asset_url("icon.svg"), 301); }, {0, false, true});
  r.get("/robots.txt", [](Request&) {
    auto res = Response::text("User-agent: *\nDisallow: /quan-tri\nDisallow: /api/\nAllow: /\n");
    res.set_header("cache-control", "public, max-age=3600");
    return res;
  }, {0, false, true});
  r.post("/giao-dien", [](Request& req) {
    auto f = http::unwrap(req.form());
    std::string ui = req.cookie("ui").value_or("");
    bool large = ui.find("lg") != std::string::npos, contrast = ui.find("hc") != std::string::npos;
    if (f.has("co_chu")) large = f.get("co_chu") == "lon";
    if (f.has("tuong_phan")) contrast = f.get("tuong_phan") == "bat";
    std::string v = std::string(large ? "lg" : "") + (contrast ? (large ? "-hc" : "hc") : "");
    auto res = Response::redirect(safe_next(f.get("next")));
    res.add_cookie(http::make_cookie("ui", v.empty() ? "none" : v, req.secure, 365LL * 24 * 3600, false));
    return res;
  });
}

Response redirect_with_flash(std::string location, std::string_view msg) {
  auto res = Response::redirect(std::move(location));
  res.add_cookie(http::make_cookie("flash", http::percent_encode(msg), false, 60));
  return res;
}

std::string safe_next(std::string_view next, std::string fallback) {
  if (next.empty() || next.front() != '/' || next.starts_with("//") || next.starts_with("/\\") ||
      core::has_control_chars(next))
    return fallback;
  return std::string(next);
}

}  // namespace pbgdpl::web
