// A builder fills a fresh snapshot (directly and through a helper), then
// publishes it with an atomic store for the readers to pick up.  Up to the
// store the snapshot is the builder's own: filling it is silent, even while
// readers run.  From the store on it is shared: a reader that writes to it
// (BUGGY) races with the other readers, and so does the builder when it
// writes after publishing (LATE).  The fixed twin's readers only look up.
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=BUGGY -- %glib_cflags -pthread -DBUGGY
// RUN: %mapsafe_check %s --prefix=LATE -- %glib_cflags -pthread -DLATE
// The graph says where the snapshot stopped being the builder's own.
// RUN: rm -rf %t && mkdir -p %t && cd %S
// RUN: %clang_tidy -checks='-*,mapsafe-*' --config="{CheckOptions: {mapsafe.GraphDir: '%t'}}" %s -- %glib_cflags -pthread -DLATE
// RUN: FileCheck %s --check-prefix=GRAPH --input-file=%t/publish-builder.c.mapsafe.json

#include <glib.h>
#include <pthread.h>

typedef struct {
  GHashTable *index;
  int generation;
} Snapshot;

static Snapshot *current;

static void fill(Snapshot *s, int gen) {
  g_hash_table_insert(s->index, g_strdup_printf("gen-%d", gen), NULL);
  s->generation = gen;
}

static void *rebuild(void *arg) {
  for (int gen = 1; gen < 100; gen++) {
    Snapshot *s = g_new0(Snapshot, 1);
    s->index = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(s->index, "config", arg);
    fill(s, gen);
    g_atomic_pointer_set(&current, s); // L:publish
#ifdef LATE
    g_hash_table_insert(s->index, "late", arg); // L:late
#endif
  }
  return NULL;
}

static void *reader(void *arg) {
  Snapshot *s = g_atomic_pointer_get(&current);
  if (!s)
    return NULL;
#ifdef BUGGY
  g_hash_table_insert(s->index, "seen", arg); // L:reader_insert
#else
  g_hash_table_lookup(s->index, "config"); // L:reader_lookup
#endif
  return NULL;
}

int main(void) {
  pthread_t b, r[4];
  pthread_create(&b, NULL, rebuild, "x"); // L:spawn_rebuild
  for (int i = 0; i < 4; i++)
    pthread_create(&r[i], NULL, reader, NULL); // L:spawn_reader
  pthread_join(b, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(r[i], NULL);
  return 0;
}

// BUGGY: publish-builder.c:[[L_reader_insert]]:3: warning: unsynchronized write to map 'Snapshot.index' (g_hash_table_insert) can race with a write in another instance of thread 'reader'; no lock is held [mapsafe-unsynchronized-write]
// BUGGY-NEXT: publish-builder.c:[[L_reader_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'reader'
// BUGGY-NEXT: publish-builder.c:[[L_spawn_reader]]:5: note: thread 'reader' is started here by the main thread, with many instances running at once

// LATE: publish-builder.c:38:5: warning: unsynchronized write to map 'Snapshot.index' (g_hash_table_insert) can race with a read in thread 'reader'; no lock is held [mapsafe-unsynchronized-write]
// LATE-NEXT: publish-builder.c:[[L_reader_lookup]]:3: note: conflicting read (g_hash_table_lookup) in thread 'reader'
// LATE-NEXT: publish-builder.c:[[L_spawn_reader]]:5: note: thread 'reader' is started here by the main thread, with many instances running at once
// LATE-NEXT: publish-builder.c:[[L_spawn_rebuild]]:3: note: thread 'rebuild' is started here by the main thread
// LATE: publish-builder.c:[[L_reader_lookup]]:3: warning: unsynchronized read of map 'Snapshot.index' (g_hash_table_lookup) can race with a write in thread 'rebuild'; no lock is held [mapsafe-unsynchronized-read]
// LATE-NEXT: publish-builder.c:38:5: note: conflicting write (g_hash_table_insert) in thread 'rebuild'
// LATE-NEXT: publish-builder.c:[[L_spawn_rebuild]]:3: note: thread 'rebuild' is started here by the main thread
// LATE-NEXT: publish-builder.c:[[L_spawn_reader]]:5: note: thread 'reader' is started here by the main thread, with many instances running at once

// GRAPH: "loc": "{{.*}}publish-builder.c:38:5",
// GRAPH-NEXT: "kind": "write",
// GRAPH-NEXT: "api": "g_hash_table_insert",
// GRAPH-NEXT: "published_at": "{{.*}}publish-builder.c:36:36",
