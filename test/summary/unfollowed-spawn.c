// A thread started through a function pointer is not followed: the summary
// says no thread start can be followed, and counts the call.
// RUN: %mapsafe_check %s --config='{CheckOptions: {mapsafe.Summary: true}}' -- %glib_cflags -pthread

// CHECK: unfollowed-spawn.c:1:1: remark: mapsafe summary: 1 map and 3 map operations, but no thread start that mapsafe can follow and no concurrent entry points are visible in this file: nothing can race here as far as mapsafe can see [mapsafe-incomplete-analysis]
// CHECK-NEXT: unfollowed-spawn.c:1:1: note: 1 call of a thread-start API has no entry function mapsafe can follow (a function pointer, flags that start no thread, or unreachable code): what it starts is not analysed
// CHECK-NEXT: unfollowed-spawn.c:1:1: note: 1 GHashTable map: 't'
// CHECK-NEXT: unfollowed-spawn.c:1:1: note: to check these maps against threads started elsewhere {{.*}}

#include <glib.h>
#include <pthread.h>

static GHashTable *t;

static void *work(void *a) {
  g_hash_table_insert(t, a, a);
  return NULL;
}

static void *(*entry)(void *) = work;

int main(void) {
  pthread_t th;
  t = g_hash_table_new(NULL, NULL);
  pthread_create(&th, NULL, entry, NULL);
  g_hash_table_insert(t, t, t);
  pthread_join(th, NULL);
  return 0;
}
