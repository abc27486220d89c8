// A `_nl` helper with external linkage expects its caller to hold the lock,
// and every call of it in the file does (here through a static inline
// wrapper, as rtpengine's timerthread_obj_schedule_abs_nl): entered from
// elsewhere it is taken to be called so too, so its unlocked accesses are
// neither evidence nor reported (silent).  The twin (UNLOCKED) adds a caller
// that does not take the lock: reported there.
// RUN: %mapsafe_check %s --prefix=SILENT -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=UNLOCKED -- %glib_cflags -pthread -DUNLOCKED
// SILENT-NOT: warning:

#include <glib.h>
#include <pthread.h>

struct timerthread {
  pthread_mutex_t lock;
  GTree *tree;
};
struct timer_obj {
  struct timerthread *tt;
};

void schedule_nl(struct timer_obj *o) { // L:nl_fn
  g_tree_remove(o->tt->tree, o); // L:remove
  g_tree_insert(o->tt->tree, o, o); // L:insert
}

static inline void schedule(struct timer_obj *o) {
  pthread_mutex_lock(&o->tt->lock);
  schedule_nl(o);
  pthread_mutex_unlock(&o->tt->lock);
}

void deschedule(struct timer_obj *o) {
  pthread_mutex_lock(&o->tt->lock);
  g_tree_remove(o->tt->tree, o); // L:deschedule
  pthread_mutex_unlock(&o->tt->lock);
}

void reschedule_later(struct timer_obj *o) {
  schedule(o);
}

#ifdef UNLOCKED
void reschedule_now(struct timer_obj *o) {
  schedule_nl(o); // L:unlocked_call
}
#endif

// UNLOCKED: guard-callers-hold.c:[[L_remove]]:3: warning: 'struct timerthread.tree' is accessed with 'struct timerthread.lock' held in 2 of 2 functions; this write (g_tree_remove) does not hold it [mapsafe-inconsistent-locking]
// UNLOCKED-NEXT: guard-callers-hold.c:[[L_deschedule]]:3: note: 'struct timerthread.lock' is held here
// UNLOCKED-NEXT: guard-callers-hold.c:[[L_nl_fn]]:6: note: 'schedule_nl' has external linkage: any thread may call it
// UNLOCKED-NEXT: guard-callers-hold.c:[[L_unlocked_call]]:3: note: 'schedule_nl' is called from 'reschedule_now' here
// UNLOCKED: guard-callers-hold.c:[[L_insert]]:3: warning: 'struct timerthread.tree' is accessed with 'struct timerthread.lock' held in 2 of 2 functions; this write (g_tree_insert) does not hold it [mapsafe-inconsistent-locking]
// UNLOCKED-NEXT: guard-callers-hold.c:[[L_remove]]:3: note: 'struct timerthread.lock' is held here
// UNLOCKED-NEXT: guard-callers-hold.c:[[L_deschedule]]:3: note: 'struct timerthread.lock' is held here
// UNLOCKED-NEXT: guard-callers-hold.c:[[L_nl_fn]]:6: note: 'schedule_nl' has external linkage: any thread may call it
// UNLOCKED-NEXT: guard-callers-hold.c:[[L_unlocked_call]]:3: note: 'schedule_nl' is called from 'reschedule_now' here
