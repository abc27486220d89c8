// Threads started and joined by helper functions, with the handles passed
// as a pointer (an array) or kept in a struct field: main's write after the
// helper that joins them is single-threaded (fixed twin, silent); between
// the start and the join it races with the workers.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

#define N 4

struct pool {
  pthread_t threads[N];
  int size;
};

static GHashTable *routes;

static void *worker(void *arg) {
  (void)arg;
  return g_hash_table_lookup(routes, "default"); // L:lookup
  // CHECK: threads-started-in-helpers.c:[[L_lookup]]:10: warning: unsynchronized read of map 'routes' (g_hash_table_lookup) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_write]]:3: note: conflicting write (g_hash_table_insert) in the main thread
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_create]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_start]]:3: note: 'start_all' is called from 'main' here
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_new_routes]]:12: note: 'routes' is created here: a GHashTable with string keys
}

static void start_all(pthread_t *t, int n) {
  for (int i = 0; i < n; i++)
    pthread_create(&t[i], NULL, worker, NULL); // L:create
}

static void join_all(pthread_t *t, int n) {
  for (int i = 0; i < n; i++)
    pthread_join(t[i], NULL);
}

static void pool_start(struct pool *p) {
  for (int i = 0; i < p->size; i++)
    pthread_create(&p->threads[i], NULL, worker, p);
}

static void pool_stop(struct pool *p) {
  for (int i = 0; i < p->size; i++)
    pthread_join(p->threads[i], NULL);
}

int main(void) {
  pthread_t t[N];
  struct pool p = {.size = N};
  routes = g_hash_table_new(g_str_hash, g_str_equal); // L:new_routes
  g_hash_table_insert(routes, "default", "10.0.0.1");
  start_all(t, N); // L:start
#ifndef FIXED
  g_hash_table_insert(routes, "backup", "10.0.0.2"); // L:write
  // CHECK: threads-started-in-helpers.c:[[L_write]]:3: warning: unsynchronized write to map 'routes' (g_hash_table_insert) can race with a read in thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_lookup]]:10: note: conflicting read (g_hash_table_lookup) in thread 'worker'
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_create]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_start]]:3: note: 'start_all' is called from 'main' here
  // CHECK-NEXT: threads-started-in-helpers.c:[[L_new_routes]]:12: note: 'routes' is created here: a GHashTable with string keys
#endif
  join_all(t, N);
  g_hash_table_insert(routes, "backup", "10.0.0.3");
  pool_start(&p);
  pool_stop(&p);
  g_hash_table_remove(routes, "backup");
  g_hash_table_destroy(routes);
  return 0;
}
