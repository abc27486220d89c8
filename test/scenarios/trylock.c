// A trylock protects only the branch where it succeeded.  The buggy twin
// updates the table when the trylock failed; the fixed twin only when it
// succeeded (in both the `== 0` and the `!= 0`-then-return shapes).
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *stats;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

static void count(const char *event) {
#ifdef FIXED
  if (pthread_mutex_trylock(&stats_lock) == 0) {
    g_hash_table_replace(stats, (gpointer)event, GINT_TO_POINTER(1));
    pthread_mutex_unlock(&stats_lock);
  }
#else
  if (pthread_mutex_trylock(&stats_lock) != 0) {
    g_hash_table_replace(stats, (gpointer)event, GINT_TO_POINTER(1)); // L:bad
    // CHECK: trylock.c:[[L_bad]]:5: warning: unsynchronized write to map 'stats' (g_hash_table_replace) can race with a write in another instance of thread 'producer'; no lock is held [mapsafe-unsynchronized-write]
    // CHECK-NEXT: trylock.c:[[L_clear]]:3: note: conflicting write (g_hash_table_remove_all) in thread 'producer', another instance
    // CHECK-NEXT: trylock.c:[[L_try]]:12: note: 'stats_lock', acquired here, protects the conflicting access but is not held at the reported one
    // CHECK-NEXT: trylock.c:[[L_spawn]]:5: note: thread 'producer' is started here by the main thread, with many instances running at once
    // CHECK-NEXT: trylock.c:[[L_count]]:5: note: 'count' is called from 'producer' here
    // CHECK-NEXT: trylock.c:[[L_flush]]:7: note: 'flush' is called from 'producer' here
    // CHECK-NEXT: trylock.c:[[L_new_stats]]:11: note: 'stats' is created here: a GHashTable from string keys to int values
    return;
  }
  pthread_mutex_unlock(&stats_lock);
#endif
}

static void flush(void) {
  int rc = pthread_mutex_trylock(&stats_lock); // L:try
  if (rc != 0)
    return;
  g_hash_table_remove_all(stats); // L:clear
  pthread_mutex_unlock(&stats_lock);
}

static void *producer(void *arg) {
  for (int i = 0; i < 100; i++) {
    count(arg); // L:count
    if (i % 10 == 0)
      flush(); // L:flush
  }
  return NULL;
}

int main(void) {
  pthread_t t[4];
  stats = g_hash_table_new(g_str_hash, g_str_equal); // L:new_stats
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, producer, "tick"); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  g_hash_table_destroy(stats);
  return 0;
}
