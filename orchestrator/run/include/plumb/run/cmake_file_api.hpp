// Where CMake put a target's executable, as CMake itself says (the file API's codemodel-v2),
// so a variant finds its program whatever the project's output folder layout.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace plumb::run {

// Asks CMake to describe `build_tree` at its next configure: writes the (empty) codemodel-v2
// query file under <build_tree>/.cmake/api/v1/query/. False when the folder cannot be written
// (programs are then looked for at bin/<target> only).
bool request_codemodel(const std::filesystem::path& build_tree);

// Whether `build_tree` holds a file API reply (CMake configured it after the query was written).
bool has_codemodel_reply(const std::filesystem::path& build_tree);

// The executable CMake builds for `target` in `build_tree`, from the newest reply (absolute);
// nullopt when there is no reply, no such target, or the target is not an executable.
std::optional<std::filesystem::path> executable_of(const std::filesystem::path& build_tree,
                                                   const std::string& target);

}  // namespace plumb::run
