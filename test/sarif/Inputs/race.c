/* The input of the SARIF tests: a cache that loader threads fill under
 * cache_lock while a janitor empties it without; a set each loader adds to
 * with no lock at all.  The lines marked L:name are named in the tests. */
#include <glib.h>
#include <pthread.h>

static GHashTable *cache; /* name -> hits */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *seen; /* names */

static void cache_put(const char *name) {
  pthread_mutex_lock(&cache_lock); // L:lock
  g_hash_table_replace(cache, (gpointer)name, GINT_TO_POINTER(1)); // L:put
  pthread_mutex_unlock(&cache_lock);
}

static void *loader(void *arg) {
  cache_put(arg); // L:call_put
  g_hash_table_add(seen, arg); // L:add
  return NULL;
}

static void cache_evict(void) {
  g_hash_table_remove_all(cache); // L:evict
}

static void *janitor(void *arg) {
  (void)arg;
  cache_evict(); // L:call_evict
  return NULL;
}

static void start_loaders(pthread_t *t, int n) {
  for (int i = 0; i < n; i++)
    pthread_create(&t[i], NULL, loader, "name"); // L:spawn_loader
}

int main(void) {
  pthread_t loaders[4], jan;
  cache = g_hash_table_new(g_str_hash, g_str_equal); // L:new_cache
  seen = g_hash_table_new(g_str_hash, g_str_equal); // L:new_seen
  start_loaders(loaders, 4); // L:call_start
  pthread_create(&jan, NULL, janitor, NULL); // L:spawn_janitor
  for (int i = 0; i < 4; i++)
    pthread_join(loaders[i], NULL);
  pthread_join(jan, NULL);
  return 0;
}
