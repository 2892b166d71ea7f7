// Allocates an array with new[] and releases it with plain delete.
#include <cstdio>

static int *make_array() { return new int[16]; }

static void release(int *values) {
  delete values;  // Should be delete[].
}

int main() {
  int *values = make_array();
  values[0] = 1;
  std::printf("%d\n", values[0]);
  release(values);
  return 0;
}
