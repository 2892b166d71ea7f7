// Branches on a heap value nobody initialised.
#include <stdio.h>
#include <stdlib.h>

static int decide(const int *flags) {
  if (flags[3] > 10) {
    return 1;
  }
  return 0;
}

int main(void) {
  int *flags = malloc(8 * sizeof *flags);
  int verdict = decide(flags);
  printf("%d\n", verdict);
  free(flags);
  return 0;
}
