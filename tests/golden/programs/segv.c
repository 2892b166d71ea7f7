// Writes through a null pointer.
#include <stdio.h>

static void store(int *slot, int value) { *slot = value; }

int main(int argc, char **argv) {
  (void)argv;
  int *slot = argc > 100 ? &argc : NULL;
  store(slot, 42);
  printf("unreachable\n");
  return 0;
}
