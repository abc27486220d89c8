// Writes after every worker was joined are single-threaded again: silent
// (fixed twin).  The buggy twin writes between the spawn loop and the join
// loop.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *totals;
static pthread_mutex_t totals_lock = PTHREAD_MUTEX_INITIALIZER;

static void *tally(void *arg) {
  pthread_mutex_lock(&totals_lock); // L:lock
  g_hash_table_replace(totals, arg, GINT_TO_POINTER(1)); // L:locked
  pthread_mutex_unlock(&totals_lock);
  return NULL;
}

static void report(void) {
  g_hash_table_remove(totals, "tmp"); // L:remove
  // CHECK: join-then-write.c:[[L_remove]]:3: warning: unsynchronized write to map 'totals' (g_hash_table_remove) can race with a write in thread 'tally'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-then-write.c:[[L_locked]]:3: note: conflicting write (g_hash_table_replace) in thread 'tally'
  // CHECK-NEXT: join-then-write.c:[[L_lock]]:3: note: 'totals_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: join-then-write.c:[[L_spawn]]:5: note: thread 'tally' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: join-then-write.c:[[L_call]]:3: note: 'report' is called from 'main' here
  // CHECK-NEXT: join-then-write.c:[[L_new_totals]]:12: note: 'totals' is created here: a GHashTable from string keys to int values
}

int main(void) {
  pthread_t workers[8], single;
  totals = g_hash_table_new(g_str_hash, g_str_equal); // L:new_totals
  for (int i = 0; i < 8; i++)
    pthread_create(&workers[i], NULL, tally, "w"); // L:spawn
#ifndef FIXED
  report(); // L:call
#endif
  for (int i = 0; i < 8; i++)
    pthread_join(workers[i], NULL);
  pthread_create(&single, NULL, tally, "s");
  pthread_join(single, NULL);
  report();
  g_hash_table_destroy(totals);
  return 0;
}
