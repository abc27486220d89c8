// A map a function creates in a local is a new one in every call, whichever
// threads make the calls: two threads running `rebuild` each build and
// drop their own table.  The buggy twin's `rebuild` takes the cache
// instead, the same table for every call, and the two threads fill it at
// once.  A table made in a local and handed to a thread
// is still the one both use.
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED
// RUN: %mapsafe_check %s -- %glib_cflags -pthread

#include <glib.h>
#include <pthread.h>

static GHashTable *links_cache;

static void rebuild(const char *name) {
#ifdef FIXED
  GHashTable *links = g_hash_table_new(g_str_hash, g_str_equal);
#else
  GHashTable *links = links_cache;
#endif
  g_hash_table_insert(links, (gpointer)name, NULL); // L:insert
#ifdef FIXED
  g_hash_table_destroy(links);
#endif
}

static void *reader(void *arg) {
  rebuild("reader"); // L:call_reader
  return NULL;
}

static void *writer(void *arg) {
  rebuild("writer"); // L:call_writer
  return NULL;
}

static void *filler(void *arg) {
  g_hash_table_insert(arg, "filler", NULL); // L:fill
  return NULL;
}

int main(void) {
  pthread_t a, b, c;
  links_cache = g_hash_table_new(g_str_hash, g_str_equal); // L:new_cache
  pthread_create(&a, NULL, reader, NULL); // L:spawn_reader
  pthread_create(&b, NULL, writer, NULL); // L:spawn_writer
  GHashTable *handed = g_hash_table_new(g_str_hash, g_str_equal); // L:new_handed
  pthread_create(&c, NULL, filler, handed); // L:spawn_filler
  g_hash_table_insert(handed, "main", NULL); // L:main_insert
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(c, NULL);
  return 0;
}
// FIXED: local-map-per-call.c:[[L_fill]]:3: warning: unsynchronized write to map 'handed' (g_hash_table_insert) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-write]
// FIXED-NEXT: local-map-per-call.c:[[L_main_insert]]:3: note: conflicting write (g_hash_table_insert) in the main thread
// FIXED-NEXT: local-map-per-call.c:[[L_spawn_filler]]:3: note: thread 'filler' is started here by the main thread
// FIXED-NEXT: local-map-per-call.c:[[L_new_handed]]:24: note: 'handed' is created here: a GHashTable with string keys
// FIXED: local-map-per-call.c:[[L_main_insert]]:3: warning: unsynchronized write to map 'handed' (g_hash_table_insert) can race with a write in thread 'filler'; no lock is held [mapsafe-unsynchronized-write]
// FIXED-NEXT: local-map-per-call.c:[[L_fill]]:3: note: conflicting write (g_hash_table_insert) in thread 'filler'
// FIXED-NEXT: local-map-per-call.c:[[L_spawn_filler]]:3: note: thread 'filler' is started here by the main thread
// FIXED-NEXT: local-map-per-call.c:[[L_new_handed]]:24: note: 'handed' is created here: a GHashTable with string keys
// CHECK: local-map-per-call.c:[[L_insert]]:3: warning: unsynchronized write to map 'links_cache' (g_hash_table_insert) can race with a write in thread 'writer'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: local-map-per-call.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'writer'
// CHECK-NEXT: local-map-per-call.c:[[L_spawn_writer]]:3: note: thread 'writer' is started here by the main thread
// CHECK-NEXT: local-map-per-call.c:[[L_spawn_reader]]:3: note: thread 'reader' is started here by the main thread
// CHECK-NEXT: local-map-per-call.c:[[L_call_reader]]:3: note: 'rebuild' is called from 'reader' here
// CHECK-NEXT: local-map-per-call.c:[[L_call_writer]]:3: note: 'rebuild' is called from 'writer' here
// CHECK-NEXT: local-map-per-call.c:[[L_new_cache]]:17: note: 'links_cache' is created here: a GHashTable with string keys
// CHECK: local-map-per-call.c:[[L_fill]]:3: warning: unsynchronized write to map 'handed' (g_hash_table_insert) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: local-map-per-call.c:[[L_main_insert]]:3: note: conflicting write (g_hash_table_insert) in the main thread
// CHECK-NEXT: local-map-per-call.c:[[L_spawn_filler]]:3: note: thread 'filler' is started here by the main thread
// CHECK-NEXT: local-map-per-call.c:[[L_new_handed]]:24: note: 'handed' is created here: a GHashTable with string keys
// CHECK: local-map-per-call.c:[[L_main_insert]]:3: warning: unsynchronized write to map 'handed' (g_hash_table_insert) can race with a write in thread 'filler'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: local-map-per-call.c:[[L_fill]]:3: note: conflicting write (g_hash_table_insert) in thread 'filler'
// CHECK-NEXT: local-map-per-call.c:[[L_spawn_filler]]:3: note: thread 'filler' is started here by the main thread
// CHECK-NEXT: local-map-per-call.c:[[L_new_handed]]:24: note: 'handed' is created here: a GHashTable with string keys
