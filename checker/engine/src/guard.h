/*
** Guard inference (guard.c), run by the analysis once instances exist and
** races are paired: which lock guards which map, and the accesses that do
** not hold it (mapsafe-inconsistent-locking).
*/
#ifndef MAPSAFE_GUARD_H
#define MAPSAFE_GUARD_H

#include "mapsafe/analysis.h"

/* Fills r->guards and adds the inconsistent-locking findings (then sorts
** all findings again); 0 on success, 1 when memory runs out. */
int ms__infer_guards(ms_result *r, const ms_options *opt);

/* Whether an instance runs in a function that callers the facts do not
** show may enter on any thread (external linkage),
** outside the program's main thread: the site of that, or MS_NONE. */
ms_id ms__open_site(const ms_result *r, const ms_instance *x);

#endif /* MAPSAFE_GUARD_H */
