// A GDBus skeleton's "handle-<method>" handlers run in threads only when
// the skeleton is given G_DBUS_INTERFACE_SKELETON_FLAGS_HANDLE_METHOD_
// INVOCATIONS_IN_THREAD; without it they run in the main context's thread,
// and connecting one starts no thread.  A GObject instance-init function
// that connects one and then creates its map, right after initialising
// the map's lock, is the owner's set-up: silent (evolution-data-server's
// e_data_book_view_init).  The twin (THREADED) sets the flag before
// connecting: the handler may then run in another thread at once, and the
// creation after the connect is no set-up any more.
// RUN: %mapsafe_check %s --prefix=SILENT -- %glib_cflags %gio_cflags -pthread
// RUN: %mapsafe_check %s --prefix=THREADED -- %glib_cflags %gio_cflags -pthread -DTHREADED
// SILENT-NOT: warning:

#include <gio/gio.h>

typedef struct {
  GMutex lock;
  GHashTable *ids;
  GDBusInterfaceSkeleton *skeleton;
} Priv;
typedef struct {
  Priv *priv;
} View;

Priv *view_get_instance_private(View *view);

static gboolean handle_start(GDBusInterfaceSkeleton *skeleton, GDBusMethodInvocation *invocation,
                             View *view) {
  g_mutex_lock(&view->priv->lock); // L:handler_lock
  g_hash_table_insert(view->priv->ids, g_strdup("start"), NULL); // L:handler_insert
  g_mutex_unlock(&view->priv->lock);
  return TRUE;
}

static void view_init(View *view) {
  view->priv = view_get_instance_private(view);
#ifdef THREADED
  g_dbus_interface_skeleton_set_flags(
      view->priv->skeleton, G_DBUS_INTERFACE_SKELETON_FLAGS_HANDLE_METHOD_INVOCATIONS_IN_THREAD);
#endif
  g_signal_connect(view->priv->skeleton, "handle-start", G_CALLBACK(handle_start), view); // L:connect
  g_mutex_init(&view->priv->lock);
  view->priv->ids = g_hash_table_new(g_str_hash, g_str_equal); // L:create
}

/* what G_DEFINE_TYPE does with the init function */
void (*view_instance_init)(View *) = view_init;

void view_add(View *view, const char *id) {
  g_mutex_lock(&view->priv->lock);
  g_hash_table_insert(view->priv->ids, g_strdup(id), NULL);
  g_mutex_unlock(&view->priv->lock);
}

void view_remove(View *view, const char *id) {
  g_mutex_lock(&view->priv->lock);
  g_hash_table_remove(view->priv->ids, id);
  g_mutex_unlock(&view->priv->lock);
}

// THREADED: gdbus-handlers-no-thread.c:[[L_create]]:21: warning: unsynchronized write to map 'Priv.ids' (g_hash_table_new) can race with a write in thread 'handle_start'; no lock is held [mapsafe-unsynchronized-write]
// THREADED-NEXT: gdbus-handlers-no-thread.c:[[L_handler_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'handle_start'
// THREADED-NEXT: gdbus-handlers-no-thread.c:[[L_handler_lock]]:3: note: 'Priv.lock', acquired here, protects the conflicting access but is not held at the reported one
// THREADED-NEXT: gdbus-handlers-no-thread.c:[[L_connect]]:3: note: thread 'handle_start' is started here by the thread calling 'view_init', with many instances running at once
// THREADED-NEXT: gdbus-handlers-no-thread.c:[[L_create]]:21: note: 'Priv.ids' is created here: a GHashTable with string keys
