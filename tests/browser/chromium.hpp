// Driving Debian's headless Chromium from a test: dump the DOM after scripts ran, take a screenshot.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace plumb::reports::testing {

// The chromium binary to use (PLUMB_CHROMIUM env, else the one found at configure time), or nullopt.
std::optional<std::filesystem::path> find_chromium();

// The serialized DOM of `page` after its scripts ran (chromium --dump-dom); throws on failure.
// `fragment` (without '#') is appended to the page's URL.
std::string dump_dom(const std::filesystem::path& chromium, const std::filesystem::path& page,
                     const std::string& fragment = "");

// Saves a 1280-pixel-wide screenshot of `page` to `png`; throws on failure.
void screenshot(const std::filesystem::path& chromium, const std::filesystem::path& page,
                const std::filesystem::path& png, int height = 2000);

}  // namespace plumb::reports::testing
