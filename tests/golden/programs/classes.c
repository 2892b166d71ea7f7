// One memory error per name on the command line, for the error-class table of identity version 3:
// each class as memcheck and ASan name it (ASan halts at the first, so one name per run).
#include <stdlib.h>
#include <string.h>

static volatile int sink;
static char global_bytes[16];

static int on(int argc, char **argv, const char *name) {
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], name) == 0) return 1;
  }
  return 0;
}

static void stack_overflow(int index) {
  char local[16];
  memset(local, 0, sizeof local);
  sink = ((volatile char *)local)[index];
}

static void global_overflow(int index) { sink = ((volatile char *)global_bytes)[index]; }

static volatile char *escaped_local;

static void scope_escape(void) {
  {
    char inner[8];
    memset(inner, 1, sizeof inner);
    escaped_local = inner;
  }
  sink = escaped_local[2];
}

static char *dead_frame(void) {
  char frame[32];
  memset(frame, 2, sizeof frame);
  escaped_local = frame;
  return (char *)escaped_local;
}

static volatile size_t overlap_size = 16;  // Not a constant: the compiler must call memcpy.

static void overlap(void) {
  char *text = malloc(32);
  memset(text, 'a', 32);
  memcpy(text + 4, text, overlap_size);
  sink = text[20];
  free(text);
}

static char *volatile interior;

static void free_interior(void) {
  char *block = malloc(32);
  interior = block + 8;
  free(interior);
}

int main(int argc, char **argv) {
  if (on(argc, argv, "stack")) stack_overflow(16 + argc - argc);
  if (on(argc, argv, "global")) global_overflow(16 + argc - argc);
  if (on(argc, argv, "scope")) scope_escape();
  if (on(argc, argv, "return")) sink = dead_frame()[3];
  if (on(argc, argv, "overlap")) overlap();
  if (on(argc, argv, "interior")) free_interior();
  return 0;
}
