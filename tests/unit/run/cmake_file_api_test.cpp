// CMake's file API, read off a real configure: a project that puts its executables in its own
// folders (RUNTIME_OUTPUT_DIRECTORY), configured by the real cmake with plumb's query.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "plumb/run/cmake_file_api.hpp"

namespace plumb::run {
namespace {

class CmakeFileApi : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("plumb-fileapi-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "src" / "tests");
    std::ofstream(dir_ / "src" / "CMakeLists.txt")
        << "cmake_minimum_required(VERSION 3.21)\nproject(p C)\nadd_subdirectory(tests)\n"
           "add_library(lib STATIC lib.c)\n";
    std::ofstream(dir_ / "src" / "lib.c") << "int lib(void) { return 1; }\n";
    std::ofstream(dir_ / "src" / "tests" / "CMakeLists.txt")
        << "add_executable(unit_test t.c)\nset_target_properties(unit_test PROPERTIES "
           "RUNTIME_OUTPUT_DIRECTORY "
           "${CMAKE_BINARY_DIR}/out/tests OUTPUT_NAME renamed_test)\n";
    std::ofstream(dir_ / "src" / "tests" / "t.c") << "int main(void) { return 0; }\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

TEST_F(CmakeFileApi, FindsAnExecutableWhereverTheProjectPutsIt) {
  const std::filesystem::path tree = dir_ / "build";
  EXPECT_FALSE(has_codemodel_reply(tree));
  EXPECT_EQ(executable_of(tree, "unit_test"), std::nullopt);
  ASSERT_TRUE(request_codemodel(tree));
  const std::string configure = "cmake -S " + (dir_ / "src").string() + " -B " + tree.string() + " > " +
                                (dir_ / "configure.log").string() + " 2>&1";
  ASSERT_EQ(std::system(configure.c_str()), 0) << configure;
  EXPECT_TRUE(has_codemodel_reply(tree));
  EXPECT_EQ(executable_of(tree, "unit_test"), tree / "out" / "tests" / "renamed_test");
  EXPECT_EQ(executable_of(tree, "lib"), std::nullopt);  // a library is no program
  EXPECT_EQ(executable_of(tree, "absent"), std::nullopt);
}

}  // namespace
}  // namespace plumb::run
