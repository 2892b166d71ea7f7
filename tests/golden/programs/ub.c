// Signed overflow, an oversized shift and a misaligned load.
#include <stdio.h>
#include <string.h>

static int add(int a, int b) { return a + b; }
static int shift(int value, int by) { return value << by; }

int main(int argc, char **argv) {
  (void)argv;
  int big = 2147483647;
  int sum = add(big, argc);
  int shifted = shift(1, 31 + argc);
  char buffer[16];
  memset(buffer, 0, sizeof buffer);
  int *misaligned = (int *)(buffer + argc);
  printf("%d %d %d\n", sum, shifted, *misaligned);
  return 0;
}
