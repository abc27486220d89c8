// Thread-local maps are private to each thread: silent.  Double-buffered
// publication: a fresh map is filled, then published with an atomic store;
// readers atomically load it and only read (fixed twin, silent).  Writing
// into the published map races (buggy twin).
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>

static __thread GHashTable *scratch;
static GHashTable *_Atomic current;
static GHashTable *snapshot;

static void *reader(void *arg) {
  if (!scratch)
    scratch = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(scratch, arg, arg);
  GHashTable *t = atomic_load(&current);
  const char *v = g_hash_table_lookup(t, arg);
  GHashTable *s = __atomic_load_n(&snapshot, __ATOMIC_ACQUIRE);
#ifdef FIXED
  (void)g_hash_table_contains(s, arg);
#else
  g_hash_table_replace(s, arg, (gpointer)v); // L:replace
  // CHECK: thread-local-and-atomics.c:[[L_replace]]:3: warning: unsynchronized write to map 'snapshot' (g_hash_table_replace) can race with a write in another instance of thread 'reader'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: thread-local-and-atomics.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'reader'
  // CHECK-NEXT: thread-local-and-atomics.c:[[L_spawn]]:5: note: thread 'reader' is started here by the main thread, with many instances running at once
#endif
  return (void *)v;
}

static void publish(const char *value) {
  GHashTable *fresh = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(fresh, "key", (gpointer)value);
  atomic_store(&current, fresh);
  GHashTable *next = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(next, "key", (gpointer)value);
  __atomic_store_n(&snapshot, next, __ATOMIC_RELEASE);
}

int main(void) {
  pthread_t t[4];
  publish("a");
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, reader, "key"); // L:spawn
  publish("b");
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  return 0;
}
