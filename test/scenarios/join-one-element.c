// Joining one thread of an array of handles does not join the others: a
// write after `pthread_join(t[0])` still races.  After the loop that joins
// every handle (fixed twin) it is single-threaded.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *results;
static pthread_mutex_t results_lock = PTHREAD_MUTEX_INITIALIZER;

static void *solve(void *arg) {
  pthread_mutex_lock(&results_lock); // L:lock
  g_hash_table_insert(results, arg, arg); // L:insert
  pthread_mutex_unlock(&results_lock);
  return NULL;
}

int main(void) {
  pthread_t t[4];
  static int ids[4] = {1, 2, 3, 4};
  results = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new_results
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, solve, &ids[i]); // L:spawn
  pthread_join(t[0], NULL);
#ifndef FIXED
  g_hash_table_remove(results, &ids[0]); // L:remove
  // CHECK: join-one-element.c:[[L_remove]]:3: warning: unsynchronized write to map 'results' (g_hash_table_remove) can race with a write in thread 'solve'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-one-element.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'solve'
  // CHECK-NEXT: join-one-element.c:[[L_lock]]:3: note: 'results_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: join-one-element.c:[[L_spawn]]:5: note: thread 'solve' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: join-one-element.c:[[L_new_results]]:13: note: 'results' is created here: a GHashTable with int * keys
#endif
  for (int i = 1; i < 4; i++)
    pthread_join(t[i], NULL);
  g_hash_table_remove(results, &ids[1]);
  g_hash_table_destroy(results);
  return 0;
}
