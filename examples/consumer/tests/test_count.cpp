#include "check.hpp"
#include "tally/tally.hpp"

int main() {
  tally::Table table;
  table.count("a b a c a b");
  CHECK(table.get("a") == 3);
  CHECK(table.get("b") == 2);
  CHECK(table.get("z") == 0);
  return 0;
}
