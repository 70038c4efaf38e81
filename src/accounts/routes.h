#pragma once
// HTTP side of accounts: the authentication + CSRF middleware and the pages and JSON API.
#include "accounts/service.h"
#include "http/server.h"
#include "web/site.h"

namespace pbgdpl::accounts {

/// Authenticates (Bearer API token or session cookie), sets the CSRF token for the page,
/// and rejects state-changing browser requests without a valid one.
http::Before auth_middleware(Service& svc);
/// Sign-in, registration, password reset, the account page, the admin pages and
/// /api/v1/accounts/….
void register_routes(http::Router& r, Service& svc, const web::Site& site);

}  // namespace pbgdpl::accounts
