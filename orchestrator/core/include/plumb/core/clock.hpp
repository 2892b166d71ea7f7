// The wall clock as reports write it: UTC, ISO 8601.
#pragma once

#include <string>

namespace plumb::core {

// Now as "2026-12-04T14:00:00Z".
std::string utc_timestamp();

// Today as "2026-12-04" (what suppression expiry dates are compared with).
std::string utc_date();

}  // namespace plumb::core
