#include "check.hpp"
#include "tally/tally.hpp"

int main() {
  tally::Table table;
  table.count("the cat and the dog and the bird");
  const auto top = table.top(2);
  CHECK(top.size() == 2);
  CHECK(top[0].first == "the" && top[0].second == 3);
  CHECK(top[1].first == "and");
  CHECK(table.top(100).size() == 5);
  return 0;
}
