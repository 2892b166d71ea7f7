// Every malformed plumb.toml, suppressions file, baseline, report and flag combination: exactly one
// clear line on stderr naming file:line and the problem, exit 2, never a crash.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "fault_support.hpp"

namespace plumb::faults {
namespace {

// One bad input: files to create in a temporary folder, the plumb arguments ({dir} is that folder,
// {log} a real ASan log) and the fragment the one error line must contain ({dir} expanded too).
struct BadInput {
  const char* name;
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> args;
  std::string expect;
};

// gtest prints a case by its name.
void PrintTo(const BadInput& c, std::ostream* out) {
  *out << c.name;
}

const std::string kHead = "[[variant]]\nname = \"v\"\ntool = \"native\"\ntarget = \"t\"\n";  // lines 1-4
const std::string kVariant = kHead + "[variant.tiers.pr]\n";                                 // lines 1-5
const std::string kUsesSupp = "[project]\nsuppressions = \"supp.toml\"\n";
const std::string kUsesBase = "[project]\nbaseline = \"base.json\"\n";
const std::string kEntry =
    "[[suppression]]\nid = \"s1\"\nkinds = [\"leak.definite\"]\nframes = [\"f\"]\nreason = \"r\"\n";

// plumb parse with --config: the config (and its suppressions and baseline) is read first.
std::vector<std::string> parse_with_config() {
  return {"parse", "--tool", "asan", "--config", "{dir}/plumb.toml", "--out", "{dir}/out", "{log}"};
}

std::vector<BadInput> config_cases() {
  return {
      {"toml_syntax",
       {{"plumb.toml", "[project]\nbuild_dir = \"b\"\n[[variant]\nname = \"x\"\n"}},
       parse_with_config(),
       "plumb.toml:3:"},
      {"unclosed_string",
       {{"plumb.toml", "[project]\nbuild_dir = \"b\n"}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"unknown_table",
       {{"plumb.toml", "# x\n[projekt]\nbuild_dir = \"b\"\n"}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"unknown_project_key",
       {{"plumb.toml", "[project]\nbuild_dri = \"b\"\n"}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"wrong_type",
       {{"plumb.toml", "[gate]\nfail_on_growth = \"yes\"\n"}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"unknown_kind",
       {{"plumb.toml", "[gate]\nkinds = [\"leak.definite\", \"leak.everything\"]\n"}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"unknown_tool",
       {{"plumb.toml", "[[variant]]\nname = \"v\"\ntool = \"helgrind\"\ntarget = \"t\"\n"}},
       parse_with_config(),
       "plumb.toml:3:"},
      {"missing_variant_name",
       {{"plumb.toml", "\n[[variant]]\ntool = \"native\"\ntarget = \"t\"\n"}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"duplicate_variant", {{"plumb.toml", kVariant + kVariant}}, parse_with_config(), "plumb.toml:6:"},
      {"variant_without_tier", {{"plumb.toml", "\n" + kHead}}, parse_with_config(), "plumb.toml:2:"},
      {"unknown_tier",
       {{"plumb.toml", kHead + "[variant.tiers.\"week ly\"]\n"}},
       parse_with_config(),
       "plumb.toml:5:"},
      {"negative_timeout",
       {{"plumb.toml", kVariant + "timeout_s = -1\n"}},
       parse_with_config(),
       "plumb.toml:6:"},
      {"args_not_strings",
       {{"plumb.toml", kVariant + "args = [1, 2]\n"}},
       parse_with_config(),
       "plumb.toml:6:"},
      {"env_not_string",
       {{"plumb.toml", kHead + "env = { A = 1 }\n[variant.tiers.pr]\n"}},
       parse_with_config(),
       "plumb.toml:5:"},
      {"invalid_utf8",
       {{"plumb.toml", "[project]\nbuild_dir = \"\xff\xfe\"\n"}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"nul_byte",
       {{"plumb.toml", std::string("[project]\n\0\n", 12)}},
       parse_with_config(),
       "plumb.toml:2:"},
      {"variant_not_table_array", {{"plumb.toml", "variant = 3\n"}}, parse_with_config(), "plumb.toml:1:"},
      {"missing_config", {}, parse_with_config(), "{dir}/plumb.toml"},
  };
}

std::vector<BadInput> suppression_cases() {
  const std::vector<std::string> args = parse_with_config();
  return {
      {"supp_syntax",
       {{"plumb.toml", kUsesSupp}, {"supp.toml", "[[suppression]\nid = \"s\"\n"}},
       args,
       "supp.toml:1:"},
      {"supp_missing_reason",
       {{"plumb.toml", kUsesSupp},
        {"supp.toml", "\n[[suppression]]\nid = \"s1\"\nkinds = [\"race\"]\nframes = [\"f\"]\n"}},
       args,
       "supp.toml:2:"},
      {"supp_unknown_kind",
       {{"plumb.toml", kUsesSupp},
        {"supp.toml",
         "[[suppression]]\nid = \"s1\"\nkinds = [\"leak.huge\"]\nframes = [\"f\"]\nreason = \"r\"\n"}},
       args,
       "supp.toml:3:"},
      {"supp_unknown_key",
       {{"plumb.toml", kUsesSupp}, {"supp.toml", kEntry + "frame = [\"g\"]\n"}},
       args,
       "supp.toml:6:"},
      {"supp_duplicate_id",
       {{"plumb.toml", kUsesSupp}, {"supp.toml", kEntry + kEntry}},
       args,
       "supp.toml:7:"},
      {"supp_bad_id",
       {{"plumb.toml", kUsesSupp},
        {"supp.toml",
         "[[suppression]]\nid = \"a b\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n"}},
       args,
       "supp.toml:2:"},
      {"supp_kinds_empty",
       {{"plumb.toml", kUsesSupp},
        {"supp.toml", "[[suppression]]\nid = \"s1\"\nkinds = []\nframes = [\"f\"]\nreason = \"r\"\n"}},
       args,
       "supp.toml:3:"},
      {"supp_bad_date",
       {{"plumb.toml", kUsesSupp}, {"supp.toml", kEntry + "expires = 2026-13-45\n"}},
       args,
       "supp.toml:6:"},
      {"supp_expires_text",
       {{"plumb.toml", kUsesSupp}, {"supp.toml", kEntry + "expires = \"soon\"\n"}},
       args,
       "supp.toml:6:"},
      {"supp_frames_not_list",
       {{"plumb.toml", kUsesSupp},
        {"supp.toml", "[[suppression]]\nid = \"s1\"\nkinds = [\"race\"]\nframes = \"f\"\nreason = \"r\"\n"}},
       args,
       "supp.toml:4:"},
      {"supp_frames_empty",
       {{"plumb.toml", kUsesSupp},
        {"supp.toml", "[[suppression]]\nid = \"s1\"\nkinds = [\"race\"]\nframes = []\nreason = \"r\"\n"}},
       args,
       "supp.toml:4:"},
      {"supp_not_table_array",
       {{"plumb.toml", kUsesSupp}, {"supp.toml", "suppression = \"all\"\n"}},
       args,
       "supp.toml:1:"},
      {"supp_binary",
       {{"plumb.toml", kUsesSupp},
        {"supp.toml", std::string("\x7f"
                                  "ELF\x02\x01\x01\0\0\0",
                                  10)}},
       args,
       "supp.toml:1:"},
  };
}

std::vector<BadInput> baseline_cases() {
  const std::vector<std::string> args = parse_with_config();
  return {
      {"base_trailing_comma",
       {{"plumb.toml", kUsesBase}, {"base.json", "{\n  \"fingerprints\": [\n    \"a\",\n  ]\n}\n"}},
       args,
       "base.json:4:"},
      {"base_truncated",
       {{"plumb.toml", kUsesBase}, {"base.json", "{\n  \"fingerprints\": [\n"}},
       args,
       "base.json:"},
      {"base_wrong_schema",
       {{"plumb.toml", kUsesBase},
        {"base.json", "{\n  \"schema\": \"plumb.baseline/9\",\n  \"fingerprints\": []\n}\n"}},
       args,
       "base.json:"},
      {"base_fingerprints_not_list",
       {{"plumb.toml", kUsesBase}, {"base.json", "{\n  \"fingerprints\": 42\n}\n"}},
       args,
       "base.json:"},
      {"base_entry_number",
       {{"plumb.toml", kUsesBase}, {"base.json", "{\n  \"fingerprints\": [\n    42\n  ]\n}\n"}},
       args,
       "base.json:"},
      {"base_entry_without_fingerprint",
       {{"plumb.toml", kUsesBase}, {"base.json", "[\n  {\"kind\": \"race\"}\n]\n"}},
       args,
       "base.json:"},
      {"base_binary",
       {{"plumb.toml", kUsesBase}, {"base.json", std::string("\xff\xfe\0\x01", 4)}},
       args,
       "base.json:"},
      {"base_empty", {{"plumb.toml", kUsesBase}, {"base.json", ""}}, args, "base.json:"},
      {"base_number_overflow",
       {{"plumb.toml", kUsesBase}, {"base.json", "{\n  \"fingerprints\": [1e999]\n}\n"}},
       args,
       "base.json:2:"},
      {"base_empty_fingerprint",
       {{"plumb.toml", kUsesBase}, {"base.json", "[\"\", \"ab\"]\n"}},
       args,
       "base.json:1:"},
  };
}

std::vector<BadInput> flag_cases() {
  return {
      {"no_subcommand", {}, {}, "subcommand"},
      {"unknown_subcommand", {}, {"frobnicate"}, "frobnicate"},
      {"exec_unknown_tool", {}, {"exec", "--tool", "helgrind", "--", "/bin/true"}, "helgrind"},
      {"exec_without_tool", {}, {"exec", "--", "/bin/true"}, "--tool"},
      {"exec_without_command", {}, {"exec", "--tool", "native"}, "command"},
      {"exec_negative_timeout",
       {},
       {"exec", "--tool", "native", "--timeout", "-1", "--", "/bin/true"},
       "--timeout: must be a number >= 0, got '-1'"},
      {"exec_timeout_not_number",
       {},
       {"exec", "--tool", "native", "--timeout", "soon", "--", "/bin/true"},
       "--timeout"},
      {"exec_missing_config",
       {},
       {"exec", "--tool", "native", "--config", "{dir}/none.toml", "--", "/bin/true"},
       "{dir}/none.toml"},
      {"parse_without_files", {}, {"parse", "--tool", "memcheck"}, "files"},
      {"parse_unknown_tool", {}, {"parse", "--tool", "helgrind", "{log}"}, "helgrind"},
      {"parse_missing_file",
       {},
       {"parse", "--tool", "memcheck", "--out", "{dir}/out", "{dir}/missing.xml"},
       "{dir}/missing.xml"},
      {"parse_folder_as_log", {}, {"parse", "--tool", "memcheck", "--out", "{dir}/out", "{dir}"}, "{dir}"},
      {"run_unknown_tier",
       {{"plumb.toml", kVariant}},
       {"run", "--tier", "weekly", "--config", "{dir}/plumb.toml"},
       "weekly"},
      {"run_zero_jobs",
       {{"plumb.toml", kVariant}},
       {"run", "--jobs", "0", "--config", "{dir}/plumb.toml"},
       "--jobs"},
      {"run_unknown_variant",
       {{"plumb.toml", kVariant}},
       {"run", "--no-build", "--variant", "w", "--config", "{dir}/plumb.toml", "--out", "{dir}/out"},
       "'w'"},
      {"repro_unknown_variant",
       {{"plumb.toml", kVariant}},
       {"repro", "w", "--config", "{dir}/plumb.toml"},
       "'w'"},
      {"merge_without_reports", {}, {"merge", "--out", "{dir}/out"}, "reports"},
      {"merge_bad_json",
       {{"r.json", "{\n  \"schema\": \"plumb.report/1\",\n  \"variants\": [\n"}},
       {"merge", "{dir}/r.json", "--out", "{dir}/out"},
       "r.json:"},
      {"merge_wrong_schema",
       {{"r.json", "{\"schema\": \"other/1\"}\n"}},
       {"merge", "{dir}/r.json", "--out", "{dir}/out"},
       "r.json"},
      {"merge_number_overflow",
       {{"r.json", "{\"schema\": \"plumb.report/1\", \"x\": 1e999}\n"}},
       {"merge", "{dir}/r.json", "--out", "{dir}/out"},
       "r.json"},
      {"merge_missing_report", {}, {"merge", "{dir}/none.json", "--out", "{dir}/out"}, "{dir}/none.json"},
      {"baseline_update_missing_report",
       {},
       {"baseline", "update", "--from", "{dir}/none.json", "--config", "{dir}/none.toml"},
       "none"},
      {"suppressions_export_unknown_tool", {}, {"suppressions", "export", "--tool", "helgrind"}, "helgrind"},
  };
}

std::vector<BadInput> all_cases() {
  std::vector<BadInput> all;
  for (auto&& group : {config_cases(), suppression_cases(), baseline_cases(), flag_cases()}) {
    all.insert(all.end(), group.begin(), group.end());
  }
  return all;
}

std::string expand(std::string text, const std::string& dir) {
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"{dir}", dir},
        std::pair<std::string, std::string>{"{log}", std::string(GOLDEN_DIR) + "/asan/segv.log"}}) {
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

// The non-empty lines of `text`.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

class BadInputTest : public testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, OneClearLineAndExit2) {
  const BadInput& c = GetParam();
  TempDir tmp;
  const std::string dir = tmp.path().string();
  for (const auto& [name, content] : c.files) {
    std::ofstream(tmp / name, std::ios::binary) << content;
  }
  std::vector<std::string> args;
  for (const std::string& arg : c.args) {
    args.push_back(expand(arg, dir));
  }
  std::filesystem::create_directory(tmp / "cwd");  // no plumb.toml of the repository gets picked up
  RunOptions options;
  options.cwd = tmp / "cwd";
  options.guard = std::chrono::seconds(60);
  const RunResult run = run_plumb(args, tmp.path(), options);
  const std::string shown = "stdout:\n" + run.out + "stderr:\n" + run.err;
  ASSERT_FALSE(run.timed_out) << shown;
  EXPECT_EQ(run.signal, 0) << "plumb crashed\n" << shown;
  EXPECT_EQ(run.exit_code, 2) << shown;
  const std::vector<std::string> lines = lines_of(run.err);
  ASSERT_EQ(lines.size(), 1u) << "expected exactly one error line\n" << shown;
  EXPECT_NE(lines[0].find(expand(c.expect, dir)), std::string::npos)
      << "the line should contain '" << expand(c.expect, dir) << "'\n"
      << shown;
  EXPECT_EQ(lines[0].find("internal error"), std::string::npos) << shown;
  EXPECT_FALSE(std::filesystem::exists(tmp / "out" / "report.json"))
      << "a report was written despite bad input";
}

INSTANTIATE_TEST_SUITE_P(All, BadInputTest, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<BadInput>& case_info) {
                           return std::string(case_info.param.name);
                         });

}  // namespace
}  // namespace plumb::faults
