#include <glib.h>
extern GHashTable *sessions;
extern GMutex sessions_lock;
