#pragma once
// HTTP side of accounts: the authentication + CSRF middleware and the pages and JSON API.
#include "accounts/service.h"
#include "http/server.h"
#include "web/site.h"

namespace pbgdpl::accounts {

/// Authenticates (Bearer API token or session cookie), sets the CSRF token for the page,
/// and rejects state-changing browser requests without a valid one: signed-in sessions
/// by their session-bound token, anonymous visitors by cross_site().
http::Before auth_middleware(Service& svc);
/// True when the browser says the request comes from another site (Sec-Fetch-Site other
/// than same-origin/none, or an Origin whose host is not the Host header).
bool cross_site(const http::Request& req);
/// Sign-in, registration, password reset, the account page, the admin pages and
/// /api/v1/accounts/….
void register_routes(http::Router& r, Service& svc, const web::Site& site);

}  // namespace pbgdpl::accounts
