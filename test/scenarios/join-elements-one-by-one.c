// Joining every element of an array of handles, one by one (t[0], t[1],
// ...), ends all the threads stored in it, as does joining every handle
// kept in a variable of its own: main's writes after that are
// single-threaded (fixed twin, silent), also when an element was joined
// only on some paths before it is joined again on all.  The buggy twin
// leaves the last element, and the last variable, unjoined, and writes
// where an element was joined on one path only.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *parts, *totals, *extra;
static GMutex lock;

static void *fill(void *arg) {
  g_mutex_lock(&lock); // L:lock1
  g_hash_table_insert(parts, arg, arg); // L:insert1
  g_mutex_unlock(&lock);
  return NULL;
}

static void *more(void *arg) {
  g_mutex_lock(&lock); // L:lock3
  g_hash_table_insert(extra, arg, arg); // L:insert3
  g_mutex_unlock(&lock);
  return NULL;
}

static void *sum(void *arg) {
  g_mutex_lock(&lock); // L:lock2
  g_hash_table_insert(totals, arg, arg); // L:insert2
  g_mutex_unlock(&lock);
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t th[3];
  static char names[3][2] = {"a", "b", "c"};
  parts = g_hash_table_new(g_str_hash, g_str_equal); // L:new1
  totals = g_hash_table_new(g_str_hash, g_str_equal); // L:new2
  pthread_create(&th[0], NULL, fill, names[0]); // L:spawn1
  pthread_create(&th[1], NULL, fill, names[1]);
  pthread_create(&th[2], NULL, fill, names[2]);
  pthread_join(th[0], NULL);
  pthread_join(th[1], NULL);
#ifdef FIXED
  pthread_join(th[2], NULL);
#endif
  g_hash_table_remove_all(parts); // L:remove1
  // CHECK: join-elements-one-by-one.c:[[L_remove1]]:3: warning: unsynchronized write to map 'parts' (g_hash_table_remove_all) can race with a write in thread 'fill'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_insert1]]:3: note: conflicting write (g_hash_table_insert) in thread 'fill'
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_lock1]]:3: note: 'lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_spawn1]]:3: note: thread 'fill' is started here by the main thread
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_new1]]:11: note: 'parts' is created here: a GHashTable with string keys
#ifndef FIXED
  pthread_join(th[2], NULL);
#endif

  pthread_t x, y;
  pthread_create(&x, NULL, sum, "x"); // L:spawn2
  pthread_create(&y, NULL, sum, "y"); // L:spawn3
  pthread_join(x, NULL);
#ifdef FIXED
  pthread_join(y, NULL);
#endif
  g_hash_table_remove_all(totals); // L:remove2
  // CHECK: join-elements-one-by-one.c:[[L_remove2]]:3: warning: unsynchronized write to map 'totals' (g_hash_table_remove_all) can race with a write in thread 'sum'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_insert2]]:3: note: conflicting write (g_hash_table_insert) in thread 'sum'
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_lock2]]:3: note: 'lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_spawn3]]:3: note: thread 'sum' is started here by the main thread
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_new2]]:12: note: 'totals' is created here: a GHashTable with string keys
#ifndef FIXED
  pthread_join(y, NULL);
#endif

  pthread_t v[2];
  extra = g_hash_table_new(g_str_hash, g_str_equal); // L:new3
  pthread_create(&v[0], NULL, more, argv[0]); // L:spawn4
  pthread_create(&v[1], NULL, more, argv[0]);
  pthread_join(v[0], NULL);
  if (argc > 1)
    pthread_join(v[1], NULL);
#ifndef FIXED
  g_hash_table_remove_all(extra); // L:remove3
  // CHECK: join-elements-one-by-one.c:[[L_remove3]]:3: warning: unsynchronized write to map 'extra' (g_hash_table_remove_all) can race with a write in thread 'more'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_insert3]]:3: note: conflicting write (g_hash_table_insert) in thread 'more'
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_lock3]]:3: note: 'lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_spawn4]]:3: note: thread 'more' is started here by the main thread
  // CHECK-NEXT: join-elements-one-by-one.c:[[L_new3]]:11: note: 'extra' is created here: a GHashTable with string keys
#endif
  pthread_join(v[1], NULL);
  g_hash_table_remove_all(extra);

  g_hash_table_destroy(parts);
  g_hash_table_destroy(totals);
  g_hash_table_destroy(extra);
  return 0;
}
