#pragma once
// HTTP side of the portal: the public site (lists, item pages, feeds, sitemap, search,
// read-aloud audio, QR codes, ratings) and the newsroom under /quan-tri.
#include <functional>

#include "portal/service.h"
#include "web/site.h"

namespace pbgdpl::portal {

/// Optional extras other modules offer the portal pages (new legal documents, upcoming
/// contests, library search); each may be empty.
struct Extras {
  /// [{title, href, meta}] of recent legal documents for the home page.
  std::function<nlohmann::json()> new_documents;
  /// [{title, href, meta}] of upcoming contests (when the contest module exists).
  std::function<nlohmann::json()> upcoming_contests;
  /// [{title, href, summary, status}] of the platform's sections (the App's list).
  std::function<nlohmann::json()> sections;
  /// [{title, href, snippet}] library hits for the site search.
  std::function<nlohmann::json(const std::string& q)> library_search;
};

void register_routes(http::Router& r, Service& svc, accounts::Service& accounts, const web::Site& site, Extras extras);
/// The portal's home page data and rendering (featured, latest, audiences, new documents,
/// contests); the App routes "/" here.
http::Response home_page(http::Request& req, Service& svc, const web::Site& site, const Extras& extras);

}  // namespace pbgdpl::portal
