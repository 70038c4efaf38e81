#pragma once
// HTTP side of the legal library: the reading view with stable provision addresses, the
// search page, the editor pages and /api/v1/law/…, /api/v1/search.
#include "accounts/service.h"
#include "http/router.h"
#include "law/service.h"
#include "web/site.h"

namespace pbgdpl::law {

void register_routes(http::Router& r, Service& svc, const web::Site& site);
/// Escapes text and turns references ("khoản 2 Điều 10", "Điều 5 của Luật này",
/// "Luật số 91/2015/QH13" when that document is in the library) into links.
std::string linkify(const std::string& text, const std::string& slug, Service& svc);

}  // namespace pbgdpl::law
