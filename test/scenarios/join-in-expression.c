// A join inside an expression ends its thread like a join statement: its
// result printed, tested, or kept in a variable.  Writes after each join
// are single-threaded (fixed twin, silent); the buggy twin writes each map
// before its thread is joined.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdio.h>

static GHashTable *counts, *errors, *sizes;

static gpointer count_words(gpointer arg) {
  g_hash_table_insert(counts, arg, GINT_TO_POINTER(1)); // L:insert1
  // CHECK: join-in-expression.c:[[L_insert1]]:3: warning: unsynchronized write to map 'counts' (g_hash_table_insert) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-in-expression.c:[[L_remove1]]:3: note: conflicting write (g_hash_table_remove) in the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_spawn1]]:16: note: thread 'count_words' is started here by the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_new1]]:12: note: 'counts' is created here: a GHashTable from string keys to int values
  return GINT_TO_POINTER(7);
}

static void *check_errors(void *arg) {
  g_hash_table_insert(errors, arg, arg); // L:insert2
  // CHECK: join-in-expression.c:[[L_insert2]]:3: warning: unsynchronized write to map 'errors' (g_hash_table_insert) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-in-expression.c:[[L_remove2]]:3: note: conflicting write (g_hash_table_remove) in the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_spawn2]]:3: note: thread 'check_errors' is started here by the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_new2]]:12: note: 'errors' is created here: a GHashTable with string keys
  return NULL;
}

static void *measure(void *arg) {
  g_hash_table_insert(sizes, arg, arg); // L:insert3
  // CHECK: join-in-expression.c:[[L_insert3]]:3: warning: unsynchronized write to map 'sizes' (g_hash_table_insert) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-in-expression.c:[[L_remove3]]:3: note: conflicting write (g_hash_table_remove) in the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_spawn3]]:3: note: thread 'measure' is started here by the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_new3]]:11: note: 'sizes' is created here: a GHashTable with string keys
  return NULL;
}

int main(void) {
  counts = g_hash_table_new(g_str_hash, g_str_equal); // L:new1
  errors = g_hash_table_new(g_str_hash, g_str_equal); // L:new2
  sizes = g_hash_table_new(g_str_hash, g_str_equal); // L:new3

  GThread *t = g_thread_new("count", count_words, "w"); // L:spawn1
#ifndef FIXED
  g_hash_table_remove(counts, "w"); // L:remove1
  // CHECK: join-in-expression.c:[[L_remove1]]:3: warning: unsynchronized write to map 'counts' (g_hash_table_remove) can race with a write in thread 'count_words'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-in-expression.c:[[L_insert1]]:3: note: conflicting write (g_hash_table_insert) in thread 'count_words'
  // CHECK-NEXT: join-in-expression.c:[[L_spawn1]]:16: note: thread 'count_words' is started here by the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_new1]]:12: note: 'counts' is created here: a GHashTable from string keys to int values
#endif
  printf("%d\n", GPOINTER_TO_INT(g_thread_join(t)));
  g_hash_table_remove(counts, "w");

  pthread_t e;
  void *r;
  pthread_create(&e, NULL, check_errors, "e"); // L:spawn2
#ifndef FIXED
  g_hash_table_remove(errors, "e"); // L:remove2
  // CHECK: join-in-expression.c:[[L_remove2]]:3: warning: unsynchronized write to map 'errors' (g_hash_table_remove) can race with a write in thread 'check_errors'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-in-expression.c:[[L_insert2]]:3: note: conflicting write (g_hash_table_insert) in thread 'check_errors'
  // CHECK-NEXT: join-in-expression.c:[[L_spawn2]]:3: note: thread 'check_errors' is started here by the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_new2]]:12: note: 'errors' is created here: a GHashTable with string keys
#endif
  if (pthread_join(e, &r) != 0)
    return 1;
  g_hash_table_remove(errors, "e");

  pthread_t s;
  int rc;
  pthread_create(&s, NULL, measure, "s"); // L:spawn3
#ifndef FIXED
  g_hash_table_remove(sizes, "s"); // L:remove3
  // CHECK: join-in-expression.c:[[L_remove3]]:3: warning: unsynchronized write to map 'sizes' (g_hash_table_remove) can race with a write in thread 'measure'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: join-in-expression.c:[[L_insert3]]:3: note: conflicting write (g_hash_table_insert) in thread 'measure'
  // CHECK-NEXT: join-in-expression.c:[[L_spawn3]]:3: note: thread 'measure' is started here by the main thread
  // CHECK-NEXT: join-in-expression.c:[[L_new3]]:11: note: 'sizes' is created here: a GHashTable with string keys
#endif
  rc = pthread_join(s, NULL);
  g_hash_table_remove(sizes, "s");

  g_hash_table_destroy(counts);
  g_hash_table_destroy(errors);
  g_hash_table_destroy(sizes);
  return rc;
}
