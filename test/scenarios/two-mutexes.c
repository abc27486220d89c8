// Two threads each hold a mutex around their inserts, but not the same
// one: both inserts are reported.  The fixed twin uses one mutex.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *metrics;
static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;
#ifdef FIXED
#define other_lock metrics_lock
#else
static pthread_mutex_t other_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

static void *collector(void *arg) {
  pthread_mutex_lock(&metrics_lock); // L:lock_a
  g_hash_table_insert(metrics, "cpu", arg); // L:insert_a
  // CHECK: two-mutexes.c:[[L_insert_a]]:3: warning: unsynchronized write to map 'metrics' (g_hash_table_insert) can race with a write in thread 'exporter' [mapsafe-unsynchronized-write]
  // CHECK-NEXT: two-mutexes.c:[[L_insert_b]]:3: note: conflicting write (g_hash_table_insert) in thread 'exporter'
  // CHECK-NEXT: two-mutexes.c:[[L_lock_b]]:3: note: 'other_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: two-mutexes.c:[[L_spawn_b]]:3: note: thread 'exporter' is started here by the main thread
  // CHECK-NEXT: two-mutexes.c:[[L_spawn_a]]:3: note: thread 'collector' is started here by the main thread
  // CHECK-NEXT: two-mutexes.c:[[L_new_metrics]]:13: note: 'metrics' is created here: a GHashTable with string keys
  pthread_mutex_unlock(&metrics_lock);
  return NULL;
}

static void *exporter(void *arg) {
  pthread_mutex_lock(&other_lock); // L:lock_b
  g_hash_table_insert(metrics, "exported", arg); // L:insert_b
  // CHECK: two-mutexes.c:[[L_insert_b]]:3: warning: unsynchronized write to map 'metrics' (g_hash_table_insert) can race with a write in thread 'collector' [mapsafe-unsynchronized-write]
  // CHECK-NEXT: two-mutexes.c:[[L_insert_a]]:3: note: conflicting write (g_hash_table_insert) in thread 'collector'
  // CHECK-NEXT: two-mutexes.c:[[L_lock_a]]:3: note: 'metrics_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: two-mutexes.c:[[L_spawn_a]]:3: note: thread 'collector' is started here by the main thread
  // CHECK-NEXT: two-mutexes.c:[[L_spawn_b]]:3: note: thread 'exporter' is started here by the main thread
  // CHECK-NEXT: two-mutexes.c:[[L_new_metrics]]:13: note: 'metrics' is created here: a GHashTable with string keys
  pthread_mutex_unlock(&other_lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  metrics = g_hash_table_new(g_str_hash, g_str_equal); // L:new_metrics
  pthread_create(&a, NULL, collector, "1"); // L:spawn_a
  pthread_create(&b, NULL, exporter, "2"); // L:spawn_b
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  g_hash_table_destroy(metrics);
  return 0;
}
