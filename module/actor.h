/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * actor.h - the fields that name who did something
 */
#ifndef _AKL_ACTOR_H
#define _AKL_ACTOR_H

#include "record.h"

void akl_rec_actor(struct akl_rec *r);

#endif /* _AKL_ACTOR_H */
