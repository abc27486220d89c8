// An insert under the read side of an rwlock races with the other readers
// and writers; the fixed twin takes the write side.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;
static pthread_rwlock_t cache_rw = PTHREAD_RWLOCK_INITIALIZER;

static char *compute(const char *key) { return g_strdup_printf("<%s>", key); }

static const char *cached(const char *key) {
  pthread_rwlock_rdlock(&cache_rw);
  char *v = g_hash_table_lookup(cache, key);
  pthread_rwlock_unlock(&cache_rw);
  if (v)
    return v;
  v = compute(key);
#ifdef FIXED
  pthread_rwlock_wrlock(&cache_rw);
#else
  pthread_rwlock_rdlock(&cache_rw); // L:rdlock
#endif
  g_hash_table_insert(cache, g_strdup(key), v); // L:insert
  // CHECK: rwlock-modes.c:[[L_insert]]:3: warning: unsynchronized write to map 'cache' (g_hash_table_insert) can race with a write in another instance of thread 'lookup_thread'; 'cache_rw' is held only in shared mode [mapsafe-unsynchronized-write]
  // CHECK-NEXT: rwlock-modes.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'lookup_thread'
  // CHECK-NEXT: rwlock-modes.c:[[L_rdlock]]:3: note: 'cache_rw' is acquired here in shared (read) mode, which does not exclude other readers
  // CHECK-NEXT: rwlock-modes.c:[[L_spawn]]:5: note: thread 'lookup_thread' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: rwlock-modes.c:[[L_call]]:11: note: 'cached' is called from 'lookup_thread' here
  // CHECK-NEXT: rwlock-modes.c:[[L_new_cache]]:11: note: 'cache' is created here: a GHashTable from string keys to char * values
  pthread_rwlock_unlock(&cache_rw);
  return v;
}

static void *lookup_thread(void *arg) {
  for (int i = 0; i < 100; i++)
    (void)cached(arg); // L:call
  return NULL;
}

int main(void) {
  pthread_t t[8];
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free); // L:new_cache
  for (int i = 0; i < 8; i++)
    pthread_create(&t[i], NULL, lookup_thread, i % 2 ? "a" : "b"); // L:spawn
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], NULL);
  g_hash_table_destroy(cache);
  return 0;
}
