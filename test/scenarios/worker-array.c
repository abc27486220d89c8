// A global array of worker structs, one element per thread (&workers[i]):
// each worker's cache is its own when main creates one per element (fixed
// twin, silent); when every element gets the same table, it is shared.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

#define N 4

struct worker {
  pthread_t thread;
  GHashTable *cache;
  int id;
};

static struct worker workers[N];

static void *run(void *arg) {
  struct worker *w = arg;
  g_hash_table_insert(w->cache, GINT_TO_POINTER(w->id), w); // L:insert
  // CHECK: worker-array.c:[[L_insert]]:3: warning: unsynchronized write to map 'struct worker.cache' (g_hash_table_insert) can race with a write in another instance of thread 'run'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: worker-array.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'run'
  // CHECK-NEXT: worker-array.c:[[L_spawn]]:5: note: thread 'run' is started here by the main thread, with many instances running at once
  return NULL;
}

int main(void) {
#ifndef FIXED
  GHashTable *shared = g_hash_table_new(g_direct_hash, g_direct_equal);
#endif
  for (int i = 0; i < N; i++) {
    workers[i].id = i;
#ifdef FIXED
    workers[i].cache = g_hash_table_new(g_direct_hash, g_direct_equal);
#else
    workers[i].cache = shared;
#endif
    pthread_create(&workers[i].thread, NULL, run, &workers[i]); // L:spawn
  }
  for (int i = 0; i < N; i++)
    pthread_join(workers[i].thread, NULL);
  return 0;
}
