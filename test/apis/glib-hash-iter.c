// GHashTableIter: g_hash_table_iter_next reads the table the iterator was
// set up on with g_hash_table_iter_init.  The buggy twin takes the lock
// only around iter_init and walks the table after the unlock; the fixed
// twin holds the lock over the whole loop.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED
// Guard inference alone: lister holds the lock at iter_init, so it counts
// among the functions that hold it (and is the one that also skips it).
// RUN: %mapsafe_check %s --prefix=GUARD --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GHashTable *peers;
static GMutex peers_lock;

static gpointer joiner(gpointer name) {
  g_mutex_lock(&peers_lock); // L:lock
  g_hash_table_insert(peers, name, GINT_TO_POINTER(1)); // L:insert
  g_mutex_unlock(&peers_lock);
  return NULL;
}

static gpointer lister(gpointer unused) {
  GHashTableIter it;
  gpointer name, state;
  guint up = 0;
  g_mutex_lock(&peers_lock);
  g_hash_table_iter_init(&it, peers); // L:init
#ifndef FIXED
  g_mutex_unlock(&peers_lock);
#endif
  while (g_hash_table_iter_next(&it, &name, &state)) // L:next
    up += GPOINTER_TO_INT(state);
  // CHECK: glib-hash-iter.c:[[L_next]]:10: warning: unsynchronized iteration over map 'peers' (g_hash_table_iter_next) can race with a write in thread 'joiner'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: glib-hash-iter.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'joiner'
  // CHECK-NEXT: glib-hash-iter.c:[[L_lock]]:3: note: 'peers_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: glib-hash-iter.c:[[L_spawn_joiner]]:12: note: thread 'joiner' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: glib-hash-iter.c:[[L_spawn_lister]]:7: note: thread 'lister' is started here by the main thread
  // CHECK-NEXT: glib-hash-iter.c:[[L_new]]:11: note: 'peers' is created here: a GHashTable from string keys to int values
  // GUARD: glib-hash-iter.c:[[L_next]]:10: warning: 'peers' is accessed with 'peers_lock' held in 2 of 2 functions; this iteration (g_hash_table_iter_next) does not hold it [mapsafe-inconsistent-locking]
  // GUARD-NEXT: glib-hash-iter.c:[[L_insert]]:3: note: 'peers_lock' is held here
  // GUARD-NEXT: glib-hash-iter.c:[[L_init]]:3: note: 'peers_lock' is held here
  // GUARD-NEXT: glib-hash-iter.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'joiner'
  // GUARD-NEXT: glib-hash-iter.c:[[L_spawn_joiner]]:12: note: thread 'joiner' is started here by the main thread, with many instances running at once
  // GUARD-NEXT: glib-hash-iter.c:[[L_spawn_lister]]:7: note: thread 'lister' is started here by the main thread
#ifdef FIXED
  g_mutex_unlock(&peers_lock);
#endif
  return GUINT_TO_POINTER(up);
}

int main(void) {
  peers = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  GThread *j[3], *l;
  for (int i = 0; i < 3; i++)
    j[i] = g_thread_new("joiner", joiner, "peer"); // L:spawn_joiner
  l = g_thread_new("lister", lister, NULL); // L:spawn_lister
  for (int i = 0; i < 3; i++)
    g_thread_join(j[i]);
  g_thread_join(l);
  g_hash_table_destroy(peers);
  return 0;
}
