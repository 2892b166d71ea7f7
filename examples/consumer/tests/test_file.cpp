#include <fstream>
#include <sstream>

#include "check.hpp"
#include "tally/tally.hpp"

int main() {
  std::ifstream in("data/words.txt");  // relative to the test's WORKING_DIRECTORY
  CHECK(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  tally::Table table;
  table.count(text.str());
  CHECK(table.get("leak") == 4);
  return 0;
}
