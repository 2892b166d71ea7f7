#include "plumb/run/cmake_file_api.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "plumb/core/text_file.hpp"

namespace plumb::run {
namespace {

using nlohmann::json;

std::filesystem::path api_dir(const std::filesystem::path& build_tree) {
  return build_tree / ".cmake" / "api" / "v1";
}

// A reply file parsed, or a discarded value when it is missing or not JSON.
json read_json(const std::filesystem::path& path) {
  const std::optional<std::string> text = core::read_text_file(path);
  return text ? json::parse(*text, nullptr, false) : json(json::value_t::discarded);
}

// The newest index file: CMake names them index-<timestamp>.json, so the last in name order.
std::optional<std::filesystem::path> newest_index(const std::filesystem::path& reply) {
  std::vector<std::filesystem::path> indexes;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(reply, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("index-", 0) == 0 && entry.path().extension() == ".json") {
      indexes.push_back(entry.path());
    }
  }
  if (indexes.empty()) {
    return std::nullopt;
  }
  return *std::max_element(indexes.begin(), indexes.end());
}

}  // namespace

bool request_codemodel(const std::filesystem::path& build_tree) {
  const std::filesystem::path query = api_dir(build_tree) / "query";
  std::error_code error;
  std::filesystem::create_directories(query, error);
  if (error) {
    return false;
  }
  std::ofstream file(query / "codemodel-v2", std::ios::app);
  return static_cast<bool>(file);
}

bool has_codemodel_reply(const std::filesystem::path& build_tree) {
  return newest_index(api_dir(build_tree) / "reply").has_value();
}

std::optional<std::filesystem::path> executable_of(const std::filesystem::path& build_tree,
                                                   const std::string& target) {
  const std::filesystem::path reply = api_dir(build_tree) / "reply";
  const std::optional<std::filesystem::path> index_path = newest_index(reply);
  if (!index_path) {
    return std::nullopt;
  }
  const json index = read_json(*index_path);
  if (index.is_discarded() || !index.contains("reply") || !index["reply"].contains("codemodel-v2")) {
    return std::nullopt;
  }
  const json codemodel = read_json(reply / index["reply"]["codemodel-v2"].value("jsonFile", ""));
  if (codemodel.is_discarded() || !codemodel.contains("configurations")) {
    return std::nullopt;
  }
  for (const json& configuration : codemodel["configurations"]) {
    for (const json& entry : configuration.value("targets", json::array())) {
      if (entry.value("name", "") != target) {
        continue;
      }
      const json details = read_json(reply / entry.value("jsonFile", ""));
      if (details.is_discarded() || details.value("type", "") != "EXECUTABLE") {
        return std::nullopt;
      }
      for (const json& artifact : details.value("artifacts", json::array())) {
        const std::filesystem::path path = artifact.value("path", "");
        // An executable's artifacts are the program and, on some platforms, import files: the
        // first is the program. Relative paths are relative to the build tree.
        if (!path.empty()) {
          return (path.is_absolute() ? path : build_tree / path).lexically_normal();
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace plumb::run
