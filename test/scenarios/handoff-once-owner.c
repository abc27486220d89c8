// Safe shapes that must stay silent (fixed twin): a batch map built
// privately and handed to a consumer under a mutex and condition variable;
// a table initialised through pthread_once and then only read; a map owned
// by a single thread.  The buggy twin keeps filling the batch after handing
// it over.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_ready = PTHREAD_COND_INITIALIZER;
static GHashTable *slot; /* a filled batch, handed from producer to consumer */

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static GHashTable *mime_types;

static void init_tables(void) {
  mime_types = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(mime_types, "html", "text/html");
  g_hash_table_insert(mime_types, "png", "image/png");
}

static const char *mime_for(const char *ext) {
  pthread_once(&tables_once, init_tables);
  return g_hash_table_lookup(mime_types, ext);
}

static void *producer(void *arg) {
  (void)arg;
  for (int round = 0; round < 10; round++) {
    GHashTable *batch = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(batch, "round", GINT_TO_POINTER(round));
    g_hash_table_insert(batch, "type", (gpointer)mime_for("html"));
    pthread_mutex_lock(&slot_lock);
    slot = batch;
    pthread_cond_signal(&slot_ready);
    pthread_mutex_unlock(&slot_lock);
#ifndef FIXED
    g_hash_table_insert(batch, "sent", "yes"); // L:late
    // CHECK: handoff-once-owner.c:[[L_late]]:5: warning: unsynchronized write to map 'slot' (g_hash_table_insert) can race with a read in thread 'consumer'; no lock is held [mapsafe-unsynchronized-write]
    // CHECK-NEXT: handoff-once-owner.c:[[L_read]]:18: note: conflicting read (g_hash_table_lookup) in thread 'consumer'
    // CHECK-NEXT: handoff-once-owner.c:[[L_lock]]:5: note: 'slot_lock', acquired here, protects the conflicting access but is not held at the reported one
    // CHECK-NEXT: handoff-once-owner.c:[[L_spawn_c]]:3: note: thread 'consumer' is started here by the main thread
    // CHECK-NEXT: handoff-once-owner.c:[[L_spawn_p]]:3: note: thread 'producer' is started here by the main thread
#endif
  }
  return NULL;
}

static void *consumer(void *arg) {
  GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal); /* owned by this thread */
  (void)arg;
  for (int round = 0; round < 10; round++) {
    pthread_mutex_lock(&slot_lock); // L:lock
    while (!slot)
      pthread_cond_wait(&slot_ready, &slot_lock);
    gpointer r = g_hash_table_lookup(slot, "round"); // L:read
    pthread_mutex_unlock(&slot_lock);
    g_hash_table_add(seen, r);
    (void)mime_for("png");
  }
  g_hash_table_destroy(seen);
  return NULL;
}

int main(void) {
  pthread_t p, c;
  pthread_create(&p, NULL, producer, NULL); // L:spawn_p
  pthread_create(&c, NULL, consumer, NULL); // L:spawn_c
  pthread_join(p, NULL);
  pthread_join(c, NULL);
  return 0;
}
