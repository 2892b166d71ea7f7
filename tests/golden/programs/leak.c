// A direct leak that owns an indirect one, plus a block still reachable from a global.
#include <stdlib.h>
#include <string.h>

struct node {
  char *payload;
  int size;
};

static void *still_reachable;

static struct node *make_node(int size) {
  struct node *n = malloc(sizeof *n);
  n->payload = malloc((size_t)size);
  memset(n->payload, 'x', (size_t)size);
  n->size = size;
  return n;
}

static void lose_node(void) {
  struct node *n = make_node(77);
  n->size = 0;  // The only pointer to n dies here: n is definitely lost, its payload indirectly.
}

int main(void) {
  lose_node();
  still_reachable = malloc(32);
  return 0;
}
