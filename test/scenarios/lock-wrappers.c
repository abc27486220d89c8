// Lock wrappers are recognised by what they do, not by their names: a
// function that returns holding a lock, a function that releases it, and a
// macro.  The buggy twin has one path that skips the wrapper.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;
static pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;

static void cache_lock(void) { pthread_mutex_lock(&cache_mutex); }
static void cache_unlock(void) { pthread_mutex_unlock(&cache_mutex); }

#define LOCKED(stmt)                                                                      \
  do {                                                                                     \
    pthread_mutex_lock(&cache_mutex);                                                      \
    stmt;                                                                                  \
    pthread_mutex_unlock(&cache_mutex);                                                    \
  } while (0)

static void cache_put(const char *k, char *v) {
  cache_lock(); // L:wrap
  g_hash_table_replace(cache, g_strdup(k), v); // L:put
  cache_unlock();
}

static char *cache_get(const char *k) {
  char *v;
  LOCKED(v = g_hash_table_lookup(cache, k));
  return v;
}

static void cache_evict(const char *k) {
#ifdef FIXED
  cache_lock();
#endif
  g_hash_table_remove(cache, k); // L:remove
  // CHECK: lock-wrappers.c:[[L_remove]]:3: warning: unsynchronized write to map 'cache' (g_hash_table_remove) can race with a write in another instance of thread 'client'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: lock-wrappers.c:[[L_put]]:3: note: conflicting write (g_hash_table_replace) in thread 'client', another instance
  // CHECK-NEXT: lock-wrappers.c:[[L_wrap]]:3: note: 'cache_mutex', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: lock-wrappers.c:[[L_spawn]]:5: note: thread 'client' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: lock-wrappers.c:[[L_evict]]:5: note: 'cache_evict' is called from 'client' here
  // CHECK-NEXT: lock-wrappers.c:[[L_call_put]]:3: note: 'cache_put' is called from 'client' here
  // CHECK-NEXT: lock-wrappers.c:[[L_new_cache]]:11: note: 'cache' is created here: a GHashTable from string keys to char * values
#ifdef FIXED
  cache_unlock();
#endif
}

static void *client(void *arg) {
  const char *k = arg;
  cache_put(k, g_strdup("v")); // L:call_put
  if (!cache_get(k))
    cache_evict(k); // L:evict
  return NULL;
}

int main(void) {
  pthread_t t[4];
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free); // L:new_cache
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, client, "k"); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  g_hash_table_destroy(cache);
  return 0;
}
