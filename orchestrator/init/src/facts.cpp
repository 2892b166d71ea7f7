#include "plumb/init/facts.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include <nlohmann/json.hpp>

#include "plumb/core/errors.hpp"
#include "plumb/core/text_file.hpp"

namespace plumb::init {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFilesScanned = 5000;
constexpr std::size_t kMaxTestFilesListed = 5;

// The file's text; "" when it cannot be read (a missing .gitignore, an unreadable CMake file).
std::string read_text(const std::filesystem::path& path) {
  return core::read_text_file(path).value_or("");
}

// A folder that holds a build, a VCS or a dependency cache, not the project's own CMake files.
bool skipped_folder(const std::filesystem::path& dir) {
  const std::string name = dir.filename().string();
  std::error_code error;
  return name.empty() || name.front() == '.' || name == "node_modules" ||
         std::filesystem::exists(dir / "CMakeCache.txt", error);
}

void find_tests(ProjectFacts& facts) {
  static const std::regex declares_test(
      R"((^|[^A-Za-z0-9_])(add_test|gtest_discover_tests|gtest_add_tests|catch_discover_tests|doctest_discover_tests)\s*\()",
      std::regex::icase);
  std::error_code error;
  std::filesystem::recursive_directory_iterator it(facts.root, error);
  std::size_t scanned = 0;
  for (; !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_directory(error)) {
      if (skipped_folder(it->path())) {
        it.disable_recursion_pending();
      }
      continue;
    }
    const std::string name = it->path().filename().string();
    const bool cmake_file = name == "CMakeLists.txt" || it->path().extension() == ".cmake";
    if (!cmake_file || ++scanned > kMaxFilesScanned) {
      continue;
    }
    if (std::regex_search(read_text(it->path()), declares_test)) {
      facts.has_tests = true;
      if (facts.test_files.size() < kMaxTestFilesListed) {
        facts.test_files.push_back(it->path().lexically_relative(facts.root).string());
      }
    }
  }
}

std::string cache_value(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_object() && value.contains("value") && value["value"].is_string()) {
    return value["value"].get<std::string>();
  }
  return "";
}

// A configure preset with what it inherits filled in (binaryDir, the flags).
struct RawPreset {
  json entry;
  std::string file;
};

void resolve(const std::string& name, const std::map<std::string, RawPreset>& all, KnownPreset& out,
             int depth) {
  const auto found = all.find(name);
  if (found == all.end() || depth > 16) {
    return;
  }
  const json& entry = found->second.entry;
  if (out.binary_dir.empty() && entry.contains("binaryDir") && entry["binaryDir"].is_string()) {
    out.binary_dir = entry["binaryDir"].get<std::string>();
  }
  if (entry.contains("cacheVariables") && entry["cacheVariables"].is_object()) {
    for (const char* key : {"CMAKE_C_FLAGS", "CMAKE_CXX_FLAGS"}) {
      if (entry["cacheVariables"].contains(key)) {
        out.flags += " " + cache_value(entry["cacheVariables"][key]);
      }
    }
  }
  if (entry.contains("inherits")) {
    const json& inherits = entry["inherits"];
    if (inherits.is_string()) {
      resolve(inherits.get<std::string>(), all, out, depth + 1);
    } else if (inherits.is_array()) {
      for (const json& parent : inherits) {
        if (parent.is_string()) {
          resolve(parent.get<std::string>(), all, out, depth + 1);
        }
      }
    }
  }
}

void read_presets_file(const std::filesystem::path& path, std::map<std::string, RawPreset>& all,
                       std::vector<std::string>& order, int* version) {
  const json document = json::parse(read_text(path), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    throw core::UsageError(core::located_message(path.string(), 0, "not a JSON presets file"));
  }
  if (version != nullptr && document.contains("version") && document["version"].is_number_integer()) {
    *version = document["version"].get<int>();
  }
  if (!document.contains("configurePresets") || !document["configurePresets"].is_array()) {
    return;
  }
  for (const json& entry : document["configurePresets"]) {
    if (entry.is_object() && entry.contains("name") && entry["name"].is_string()) {
      const std::string name = entry["name"].get<std::string>();
      all[name] = RawPreset{entry, path.filename().string()};
      order.push_back(name);
    }
  }
}

// The name and languages of the top project(...) call; the folder's name when there is none.
void read_project_call(ProjectFacts& facts) {
  static const std::regex project_call(R"((^|\n)\s*project\s*\(([^)]*)\))", std::regex::icase);
  static const std::regex word(R"([A-Za-z0-9_.+-]+)");
  std::smatch match;
  const std::string text = read_text(facts.root / "CMakeLists.txt");
  if (!std::regex_search(text, match, project_call)) {
    facts.name = facts.root.filename().string();
    return;
  }
  std::vector<std::string> words;
  const std::string arguments = match[2].str();
  for (auto it = std::sregex_iterator(arguments.begin(), arguments.end(), word); it != std::sregex_iterator();
       ++it) {
    words.push_back(it->str());
  }
  facts.name = words.empty() ? facts.root.filename().string() : words.front();
  // project(NAME C CXX) or project(NAME ... LANGUAGES C): the language words name what is enabled.
  std::vector<std::string> languages;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (words[i] == "C" || words[i] == "CXX") {
      languages.push_back(words[i]);
    }
  }
  if (!languages.empty()) {
    facts.c = std::find(languages.begin(), languages.end(), "C") != languages.end();
    facts.cxx = std::find(languages.begin(), languages.end(), "CXX") != languages.end();
  }
}

}  // namespace

ProjectFacts read_project_facts(const std::filesystem::path& root) {
  ProjectFacts facts;
  facts.root = std::filesystem::absolute(root).lexically_normal();
  if (!std::filesystem::is_regular_file(facts.root / "CMakeLists.txt")) {
    throw core::UsageError(facts.root.string() +
                           " holds no CMakeLists.txt: plumb init adopts a CMake project from its top folder");
  }
  read_project_call(facts);
  find_tests(facts);
  std::map<std::string, RawPreset> all;
  std::vector<std::string> order;
  facts.has_presets_file = std::filesystem::exists(facts.root / "CMakePresets.json");
  facts.has_user_presets_file = std::filesystem::exists(facts.root / "CMakeUserPresets.json");
  if (facts.has_presets_file) {
    read_presets_file(facts.root / "CMakePresets.json", all, order, &facts.presets_version);
  }
  if (facts.has_user_presets_file) {
    read_presets_file(facts.root / "CMakeUserPresets.json", all, order, nullptr);
  }
  for (const std::string& name : order) {
    KnownPreset preset;
    preset.name = name;
    preset.file = all[name].file;
    preset.hidden = all[name].entry.value("hidden", false);
    resolve(name, all, preset, 0);
    facts.presets.push_back(std::move(preset));
  }
  return facts;
}

}  // namespace plumb::init
