// Two overloads of one function name, both with facts.
#include <glib.h>
#include <pthread.h>

static GHashTable *table;

static void put(int key) { g_hash_table_add(table, GINT_TO_POINTER(key)); }
static void put(const char *key) { g_hash_table_add(table, (gpointer)key); }

static void *worker(void *) {
  put(1);
  put("one");
  return nullptr;
}

int main() {
  pthread_t th[2];
  table = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int i = 0; i < 2; i++)
    pthread_create(&th[i], nullptr, worker, nullptr);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], nullptr);
  return 0;
}
