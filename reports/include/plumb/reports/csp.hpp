// The Content-Security-Policy that keeps report.html from loading or running anything foreign.
#pragma once

#include <string>
#include <string_view>

namespace plumb::reports {

// "sha256-<base64>" of `content`, the CSP source expression allowing exactly that inline block.
std::string csp_hash_source(std::string_view content);

// The policy: nothing from anywhere, except the one inline script and stylesheet (by hash)
// and data: images.
std::string content_security_policy(std::string_view inline_script, std::string_view inline_style);

}  // namespace plumb::reports
