// When pthread_create fails, no thread runs: cleaning the table up in the
// failure branch is single-threaded (fixed twin, silent).  The buggy twin
// cleans up in the success branch, where the worker runs.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdio.h>

static GHashTable *pending;

static void *deliver(void *arg) {
  g_hash_table_remove(pending, arg); // L:remove
  return NULL;
}

int main(void) {
  pthread_t t;
  pending = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  g_hash_table_add(pending, "msg-1");
  int rc = pthread_create(&t, NULL, deliver, "msg-1"); // L:spawn
#ifdef FIXED
  if (rc != 0) {
    fprintf(stderr, "cannot start the delivery thread\n");
    g_hash_table_remove_all(pending);
    return 1;
  }
#else
  if (rc == 0)
    g_hash_table_remove_all(pending); // L:clear
  // CHECK: spawn-failure-path.c:[[L_remove]]:3: warning: unsynchronized write to map 'pending' (g_hash_table_remove) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: spawn-failure-path.c:[[L_clear]]:5: note: conflicting write (g_hash_table_remove_all) in the main thread
  // CHECK-NEXT: spawn-failure-path.c:[[L_spawn]]:12: note: thread 'deliver' is started here by the main thread
  // CHECK-NEXT: spawn-failure-path.c:[[L_new]]:13: note: 'pending' is created here: a GHashTable with string keys
  // CHECK: spawn-failure-path.c:[[L_clear]]:5: warning: unsynchronized write to map 'pending' (g_hash_table_remove_all) can race with a write in thread 'deliver'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: spawn-failure-path.c:[[L_remove]]:3: note: conflicting write (g_hash_table_remove) in thread 'deliver'
  // CHECK-NEXT: spawn-failure-path.c:[[L_spawn]]:12: note: thread 'deliver' is started here by the main thread
  // CHECK-NEXT: spawn-failure-path.c:[[L_new]]:13: note: 'pending' is created here: a GHashTable with string keys
#endif
  pthread_join(t, NULL);
  g_hash_table_destroy(pending);
  return 0;
}
