// Source paths as a code-scanning tool can use them: normal, and relative to the source root.
#pragma once

#include <filesystem>
#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// `file` made lexically normal ("a/./b/../c" → "a/c"); an absolute path inside `root` becomes
// relative to it, one outside stays absolute. A relative path (relative to the compiler's folder,
// which plumb does not know) is only made normal. An empty `root` relativizes nothing.
std::string normalize_source_path(const std::string& file, const std::filesystem::path& root);

// normalize_source_path applied to every frame of every finding and to every growth site.
void normalize_source_paths(core::Report& report, const std::filesystem::path& root);

}  // namespace plumb::analyze
