#include <stdlib.h>
#include <string.h>
struct node { struct node* next; char* payload; };
static struct node* make_node(size_t n) {
  struct node* node = malloc(sizeof *node);
  node->next = NULL;
  node->payload = malloc(n);
  memset(node->payload, 'x', n);
  return node;
}
static void lose_list(void) {
  struct node* head = make_node(64);
  head->next = make_node(32);
}
static int uninit_branch(void) {
  int* value = malloc(sizeof(int));
  int result = *value > 3 ? 1 : 0;
  free(value);
  return result;
}
int main(void) {
  for (int i = 0; i < 3; ++i) lose_list();
  return uninit_branch() * 0;
}
