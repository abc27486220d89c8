/* A non-ASCII character before a reported access: SARIF's columns count
 * UTF-16 code units, clang's count bytes. */
#include <glib.h>
#include <pthread.h>

static GHashTable *names;

static void *writer(void *arg) {
  g_hash_table_insert(names, arg, arg);
  return NULL;
}

static void *reader(void *arg) {
  /*é*/ if (g_hash_table_lookup(names, arg)) return arg; // L:read
  return NULL;
}

int main(void) {
  pthread_t a, b;
  names = g_hash_table_new(g_str_hash, g_str_equal);
  pthread_create(&a, NULL, writer, "a");
  pthread_create(&b, NULL, reader, "a");
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
