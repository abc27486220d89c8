// stb_ds (stb_ds.h): hmget stores the key in a hidden slot of the table
// before it searches, so two lookups at once race even under a read lock;
// hmget_ts takes the caller's own slot and only reads.  Short names
// (hmget, hmput) are matched and shown as written.  The buggy twin looks up
// with hmget under the read side of a rwlock; the fixed twin uses hmget_ts
// there.  The table is filled before the threads start.
// RUN: %mapsafe_check %s -- -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- -pthread -DFIXED

#include <pthread.h>
#include <stddef.h>
#define STB_DS_IMPLEMENTATION
#include <stb/stb_ds.h>

struct route { int key; int value; };
static struct route *routes = NULL;
static pthread_rwlock_t routes_lock = PTHREAD_RWLOCK_INITIALIZER;

static void *lookup(void *arg) {
  int key = *(int *)arg;
  pthread_rwlock_rdlock(&routes_lock); // L:rdlock
#ifdef FIXED
  ptrdiff_t slot;
  int port = hmget_ts(routes, key, slot);
#else
  int port = hmget(routes, key); // L:get
#endif
  pthread_rwlock_unlock(&routes_lock);
  return (void *)(ptrdiff_t)port;
}

static void *update(void *arg) {
  int key = *(int *)arg;
  pthread_rwlock_wrlock(&routes_lock);
  hmput(routes, key, 8080);
  pthread_rwlock_unlock(&routes_lock);
  return NULL;
}

int main(void) {
  pthread_t t[3];
  int key = 1;
  hmput(routes, 1, 80);
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, lookup, &key); // L:spawn
  pthread_create(&t[2], NULL, update, &key);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  hmfree(routes);
  return 0;
}

// CHECK: stb-ds-lookup.c:[[L_get]]:14: warning: unsynchronized write to map 'routes' (hmget) can race with a write in another instance of thread 'lookup'; 'routes_lock' is held only in shared mode [mapsafe-unsynchronized-write]
// CHECK-NEXT: stb-ds-lookup.c:[[L_get]]:14: note: the same write (hmget) runs concurrently in another instance of thread 'lookup'
// CHECK-NEXT: stb-ds-lookup.c:[[L_rdlock]]:3: note: 'routes_lock' is acquired here in shared (read) mode, which does not exclude other readers
// CHECK-NEXT: stb-ds-lookup.c:[[L_spawn]]:5: note: thread 'lookup' is started here by the main thread, with many instances running at once
