/*
** Race pairing (race.c), called by the analysis once instances exist.
*/
#ifndef MAPSAFE_RACE_H
#define MAPSAFE_RACE_H

#include "mapsafe/analysis.h"

/* Pairs the instances of every map and fills r->findings; 0 on success.
** At most max_pairs pairs are examined (then MS_LIMIT_PAIRS is set). */
int ms__find_races(ms_result *r, uint32_t max_pairs);

/* Whether two instances may happen in parallel (by the thread model). */
int ms__mhp(const ms_result *r, const ms_instance *x, const ms_instance *y);
/* Whether a lock held at both excludes them (or one may hold what the
** other holds, and nothing is certain). */
int ms__excluded(const ms_result *r, const ms_instance *x, const ms_instance *y);
/* The same, where a lock of another instance than the map's excludes
** nothing (guard inference). */
int ms__excluded_owned(const ms_result *r, const ms_instance *x, const ms_instance *y);
/* Whether an instance holds a lock on some paths only. */
int ms__maybe_holds(const ms_instance *x, ms_id lock);
/* Whether a creation stores the new map where others can reach it. */
int ms__lifetime_store(const ms_result *r, const ms_instance *x);
/* Sorts the findings by location, then check. */
void ms__sort_findings(ms_result *r);

#endif /* MAPSAFE_RACE_H */
