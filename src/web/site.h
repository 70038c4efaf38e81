#pragma once
// The web shell: one layout (skip link, landmarks, display preferences that work without
// JavaScript), fingerprinted static assets, error pages, flash messages. Modules render
// their own templates into it through page().
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "http/router.h"
#include "web/template.h"

namespace pbgdpl::web {

struct NavItem {
  std::string href;
  std::string label;
};

class Site {
 public:
  explicit Site(std::string site_name = "Cổng PBGDPL tỉnh");
  /// Loads the layout, the shell's own templates and static assets.
  core::Status load();
  /// Adds a module's embedded templates (prefix like "accounts/templates/").
  core::Status add_templates(std::string_view prefix);
  void add_nav(NavItem n) { nav_.push_back(std::move(n)); }
  const std::string& name() const { return name_; }

  /// "/static/app.1a2b3c4d.css" for "app.css".
  std::string asset_url(const std::string& file) const;
  /// Renders template tmpl with data inside the layout.
  http::Response page(const http::Request& req, const std::string& title, std::string_view tmpl,
                      nlohmann::json data = nlohmann::json::object(), int status = 200) const;
  std::string render(std::string_view tmpl, const nlohmann::json& data) const { return templates_.render(tmpl, data); }
  http::Response error_page(const http::Request& req, const core::Error& e) const;
  /// /static/…, /giao-dien (display preferences), /favicon.ico, /robots.txt
  void register_routes(http::Router& r) const;

 private:
  struct Asset {
    std::string name, hash, type;
    std::string_view bytes;
  };
  const Asset* find_static(std::string_view file) const;
  std::string name_;
  Templates templates_;
  std::vector<NavItem> nav_;
  std::vector<Asset> assets_;
};

/// A redirect that shows msg once on the next page (flash cookie).
http::Response redirect_with_flash(std::string location, std::string_view msg);
/// Only same-site relative paths are allowed as redirect targets.
std::string safe_next(std::string_view next, std::string fallback = "/");

}  // namespace pbgdpl::web
