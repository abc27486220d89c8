// A project's own scoped lockers: a cleanup function of its own
// (`__attribute__((cleanup(unlock_ptr)))` on a mutex pointer), and a GLib
// autoptr locker type of the project's (G_DEFINE_AUTOPTR_CLEANUP_FUNC).
// Both release their lock when the variable leaves its block: an access
// after the block is not protected.  The buggy twin inserts after the
// block; the fixed twin inside it.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *seen;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void unlock_ptr(pthread_mutex_t **m) { pthread_mutex_unlock(*m); }
#define SCOPED_LOCK(m) \
  __attribute__((cleanup(unlock_ptr))) pthread_mutex_t *scoped_ = (pthread_mutex_lock(m), (m))

typedef struct { GMutex *mutex; } Locker;
static Locker *locker_take(GMutex *m) {
  g_mutex_lock(m);
  Locker *l = g_new0(Locker, 1);
  l->mutex = m;
  return l;
}
static void locker_drop(Locker *l) {
  g_mutex_unlock(l->mutex);
  g_free(l);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Locker, locker_drop)

static GHashTable *names;
static GMutex names_lock;

static void *worker(void *arg) {
  {
    SCOPED_LOCK(&seen_lock); // L:scoped
    g_hash_table_add(seen, arg); // L:add_seen
#ifdef FIXED
    g_hash_table_remove(seen, "old");
#endif
  }
#ifndef FIXED
  g_hash_table_remove(seen, "old"); // L:after_scoped
#endif
  {
    g_autoptr(Locker) l = locker_take(&names_lock); // L:autoptr
    g_hash_table_add(names, arg); // L:add_names
#ifdef FIXED
    g_hash_table_remove(names, "old");
#endif
  }
#ifndef FIXED
  g_hash_table_remove(names, "old"); // L:after_autoptr
#endif
  return NULL;
}

int main(void) {
  pthread_t t[2];
  seen = g_hash_table_new(g_str_hash, g_str_equal); // L:new_seen
  names = g_hash_table_new(g_str_hash, g_str_equal); // L:new_names
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, worker, "x"); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return 0;
}

// CHECK: cleanup-project-locker.c:[[L_after_scoped]]:3: warning: unsynchronized write to map 'seen' (g_hash_table_remove) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: cleanup-project-locker.c:[[L_add_seen]]:5: note: conflicting write (g_hash_table_add) in thread 'worker', another instance
// CHECK-NEXT: cleanup-project-locker.c:[[L_scoped]]:5: note: 'seen_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: cleanup-project-locker.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT: cleanup-project-locker.c:[[L_new_seen]]:10: note: 'seen' is created here: a GHashTable with string keys
// CHECK-NEXT: cleanup-project-locker.c:[[L_after_autoptr]]:3: warning: unsynchronized write to map 'names' (g_hash_table_remove) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: cleanup-project-locker.c:[[L_add_names]]:5: note: conflicting write (g_hash_table_add) in thread 'worker', another instance
// CHECK-NEXT: cleanup-project-locker.c:[[L_autoptr]]:27: note: 'names_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: cleanup-project-locker.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT: cleanup-project-locker.c:[[L_new_names]]:11: note: 'names' is created here: a GHashTable with string keys
