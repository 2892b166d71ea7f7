// One use-after-free inside a recursive free function, reached from two callers at several
// depths: however deep the recursion and whoever called it, it is one bug at one site.
#include <stdlib.h>

struct node {
  struct node *next;
  int value;
};

static struct node *make_list(int length) {
  struct node *head = NULL;
  for (int i = 0; i < length; ++i) {
    struct node *n = malloc(sizeof *n);
    n->next = head;
    n->value = i;
    head = n;
  }
  return head;
}

// Frees the list from its tail, then reads the node it has just freed.
static int free_list(struct node *n) {
  if (n == NULL) {
    return 0;
  }
  int below = free_list(n->next);
  free(n);
  return below + n->value;
}

__attribute__((noinline)) int release_cache(void) { return free_list(make_list(3)); }

__attribute__((noinline)) int release_sessions(void) { return free_list(make_list(5)); }

int main(void) { return (release_cache() + release_sessions()) > 1000; }
