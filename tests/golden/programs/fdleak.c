// Opens a file and a pipe and never closes them.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int open_config(void) { return open("/dev/null", O_RDONLY); }

int main(void) {
  int fd = open_config();
  int ends[2];
  if (pipe(ends) != 0) return 1;
  printf("%d %d %d\n", fd >= 0, ends[0] >= 0, ends[1] >= 0);
  return 0;
}
