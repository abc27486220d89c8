// Readers look up without the lock while a writer inserts under it
// (read/write); the fixed twin takes the lock in the readers too.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <string.h>

struct route {
  char *target;
  int weight;
};

static GHashTable *routes;
static pthread_mutex_t routes_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *resolve(const char *host) {
  const struct route *r;
#ifdef FIXED
  pthread_mutex_lock(&routes_lock);
#endif
  r = g_hash_table_lookup(routes, host); // L:lookup
  // CHECK: readers-vs-locked-writer.c:[[L_lookup]]:7: warning: unsynchronized read of map 'routes' (g_hash_table_lookup) can race with a write in thread 'updater'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: readers-vs-locked-writer.c:[[L_insert]]:5: note: conflicting write (g_hash_table_replace) in thread 'updater'
  // CHECK-NEXT: readers-vs-locked-writer.c:[[L_lock]]:5: note: 'routes_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: readers-vs-locked-writer.c:[[L_spawn_updater]]:3: note: thread 'updater' is started here by the main thread
  // CHECK-NEXT: readers-vs-locked-writer.c:[[L_spawn_reader]]:5: note: thread 'reader' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: readers-vs-locked-writer.c:[[L_call_resolve]]:21: note: 'resolve' is called from 'reader' here
  // CHECK-NEXT: readers-vs-locked-writer.c:[[L_new_routes]]:12: note: 'routes' is created here: a GHashTable from string keys to struct route * values
  const char *target = r ? r->target : NULL;
#ifdef FIXED
  pthread_mutex_unlock(&routes_lock);
#endif
  return target;
}

static void *reader(void *arg) {
  const char *host = arg;
  for (int i = 0; i < 1000; i++) {
    const char *t = resolve(host); // L:call_resolve
    if (t && strlen(t) > 64)
      break;
  }
  return NULL;
}

static void *updater(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; i++) {
    struct route *r = g_new0(struct route, 1);
    r->target = g_strdup_printf("10.0.0.%d", i);
    r->weight = i;
    pthread_mutex_lock(&routes_lock); // L:lock
    g_hash_table_replace(routes, g_strdup("example.org"), r); // L:insert
    pthread_mutex_unlock(&routes_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t readers[4], writer;
  routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free); // L:new_routes
  pthread_create(&writer, NULL, updater, NULL); // L:spawn_updater
  for (int i = 0; i < 4; i++)
    pthread_create(&readers[i], NULL, reader, "example.org"); // L:spawn_reader
  for (int i = 0; i < 4; i++)
    pthread_join(readers[i], NULL);
  pthread_join(writer, NULL);
  g_hash_table_destroy(routes);
  return 0;
}
