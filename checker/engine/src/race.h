/*
** Race pairing (race.c), called by the analysis once instances exist.
*/
#ifndef MAPSAFE_RACE_H
#define MAPSAFE_RACE_H

#include "mapsafe/analysis.h"

/* Pairs the instances of every map and fills r->findings; 0 on success.
** At most max_pairs pairs are examined (then r->truncated is set). */
int ms__find_races(ms_result *r, uint32_t max_pairs);

/* Whether a (small, unsorted) id set holds id. */
int ms__idset_contains(const ms_idset *s, ms_id id);

/* Compares two loc ids by file name, line, column. */
int ms__loc_cmp(const ms_facts *f, ms_id a, ms_id b);

#endif /* MAPSAFE_RACE_H */
