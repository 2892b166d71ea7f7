// Reads an int from a heap block after freeing it.
#include <stdio.h>
#include <stdlib.h>

static int *make_numbers(void) {
  int *numbers = malloc(100 * sizeof *numbers);
  for (int i = 0; i < 100; ++i) numbers[i] = i;
  return numbers;
}

static int read_after_free(int *numbers) {
  free(numbers);
  return numbers[5];
}

int main(void) {
  int *numbers = make_numbers();
  printf("%d\n", read_after_free(numbers));
  return 0;
}
