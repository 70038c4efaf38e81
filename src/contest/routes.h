#pragma once
// HTTP side of contests: the JSON API for taking part (/api/v1/contests/{id}/attempts,
// /api/v1/attempts/{id}/answers, /api/v1/attempts/{id}/submit …), the no-JavaScript pages
// citizens use on a phone, the public receipt check and ranking, and the admin pages.
#include "contest/service.h"
#include "http/router.h"
#include "web/site.h"

namespace pbgdpl::contest {

void register_routes(http::Router& r, Service& svc, const web::Site& site);
/// /quan-tri/cuoc-thi…: bank, contest builder, evaluation, exports, winners, certificates.
void register_admin_routes(http::Router& r, Service& svc, const web::Site& site);

}  // namespace pbgdpl::contest
