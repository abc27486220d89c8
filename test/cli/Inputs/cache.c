// Workers insert into the cache between cache_lock() and cache_unlock(),
// which another file defines.
#include <glib.h>
#include <pthread.h>
#include "cache.h"

static GHashTable *cache;

static void *worker(void *arg) {
  cache_lock();
  g_hash_table_add(cache, arg);
  cache_unlock();
  return NULL;
}

int main(void) {
  pthread_t th[4];
  cache = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, &th[i]);
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  return 0;
}
