// clang's capability attributes on a lock API that is only declared here
// (its code is in another file, and no rule describes it):
// acquire_capability, release_capability and try_acquire_capability make
// the calls lock, unlock and try-lock what their argument points to.  The
// buggy twin's flusher forgets the lock; the fixed twin takes it with the
// trylock and waits otherwise.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdbool.h>

struct __attribute__((capability("mutex"))) xlock;
void xlock_take(struct xlock *l) __attribute__((acquire_capability(l)));
bool xlock_try(struct xlock *l) __attribute__((try_acquire_capability(true, l)));
void xlock_drop(struct xlock *l) __attribute__((release_capability(l)));
struct xlock *xlock_new(void);

static struct xlock *queue_lock;
static GHashTable *queue;

static void *producer(void *arg) {
  xlock_take(queue_lock); // L:take
  g_hash_table_add(queue, arg); // L:add
  xlock_drop(queue_lock);
  return NULL;
}

static void *flusher(void *arg) {
#ifdef FIXED
  while (!xlock_try(queue_lock))
    ;
#endif
  g_hash_table_remove_all(queue); // L:flush
#ifdef FIXED
  xlock_drop(queue_lock);
#endif
  return NULL;
}

int main(void) {
  pthread_t p, f;
  queue_lock = xlock_new();
  queue = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  pthread_create(&p, NULL, producer, "job"); // L:spawn_p
  pthread_create(&f, NULL, flusher, NULL); // L:spawn_f
  pthread_join(p, NULL);
  pthread_join(f, NULL);
  return 0;
}

// CHECK: capability-attributes.c:[[L_flush]]:3: warning: unsynchronized write to map 'queue' (g_hash_table_remove_all) can race with a write in thread 'producer'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: capability-attributes.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'producer'
// CHECK-NEXT: capability-attributes.c:[[L_take]]:3: note: 'queue_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: capability-attributes.c:[[L_spawn_p]]:3: note: thread 'producer' is started here by the main thread
// CHECK-NEXT: capability-attributes.c:[[L_spawn_f]]:3: note: thread 'flusher' is started here by the main thread
// CHECK-NEXT: capability-attributes.c:[[L_new]]:11: note: 'queue' is created here: a GHashTable with string keys
