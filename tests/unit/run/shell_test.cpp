// Shell lines in reports must paste back into a shell unchanged.
#include <gtest/gtest.h>

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

TEST(Shell, ReproLineHasDirectoryEnvironmentAndCommand) {
  EXPECT_EQ(repro_line("/src", {{"ASAN_OPTIONS", "a=1:b=2"}, {"X", "y z"}}, {"prog", "--n", "3"}),
            "cd /src && ASAN_OPTIONS=a=1:b=2 X='y z' prog --n 3");
  EXPECT_EQ(repro_line("", {}, {"true"}), "true");
}

}  // namespace
}  // namespace plumb::run
