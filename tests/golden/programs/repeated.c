// One use-after-free read 25 times at one place: memcheck prints the error once and counts it
// 25 times in <errorcounts>; the finding carries that count.
#include <stdlib.h>

int main(void) {
  int *p = malloc(sizeof *p);
  free(p);
  int sum = 0;
  for (int i = 0; i < 25; ++i) {
    sum += p[0];
  }
  return sum == 12345;
}
