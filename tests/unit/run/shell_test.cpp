// Shell lines in reports must paste back into a shell unchanged.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "plumb/run/shell.hpp"

namespace plumb::run {
namespace {

TEST(Shell, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(shell_quote("--xml-file=/o/memcheck.%p.xml"), "--xml-file=/o/memcheck.%p.xml");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
}

TEST(Shell, ControlCharactersAreAnsiCQuotedSoTheLinePrintsNoneAndPastesBack) {
  EXPECT_EQ(shell_quote("evil\x1b[2J\nverdict: 'PASS'\\"), "$'evil\\x1b[2J\\nverdict: \\'PASS\\'\\\\'");
  // bash reads it back as the same bytes.
  const std::string text = "a\x1b\nb'c\\d\te";
  // Read back through a pipe: the test leaves no file behind.
  const std::string command = "printf %s " + shell_quote(text);
  FILE* pipe = ::popen(("bash -c " + shell_quote(command)).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string back;
  char buffer[64];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    back.append(buffer, got);
  }
  ASSERT_EQ(::pclose(pipe), 0) << command;
  EXPECT_EQ(back, text);
}

TEST(Shell, ReproLineHasDirectoryEnvironmentAndCommand) {
  EXPECT_EQ(repro_line("/src", {{"ASAN_OPTIONS", "a=1:b=2"}, {"X", "y z"}}, {"prog", "--n", "3"}),
            "cd /src && ASAN_OPTIONS=a=1:b=2 X='y z' prog --n 3");
  EXPECT_EQ(repro_line("", {}, {"true"}), "true");
}

}  // namespace
}  // namespace plumb::run
