/* SPDX-License-Identifier: MIT */
/*
 * The pace of a firmware download (fw_pace.h). A full block's time is bracketed by the last
 * poll that found the module busy (lo) and the first that found it done (hi). While the
 * bracket is wider than 1/512 of it, the first poll of the next block goes half-way (a search
 * that costs one extra poll a block, for a few blocks), after that straight to hi. A module
 * that got slower (busy at hi) moves hi up to where it was found done; whether it got quicker
 * is looked at every 64 blocks with one poll at 15/16 of hi. A block found done at its
 * first look below hi may mean the module got quicker than lo says: the bracket is widened
 * downwards, twice as wide each time, until a look finds it busy again. A short block (the
 * last) is looked at at its share of hi, then in small steps.
 */
#include "hal/cdb/fw_pace.h"

#define PACE_REPROBE_BLOCKS 64u

struct lb_cdb_sched lb_fw_pace_sched(const struct lb_fw_pace *p, uint32_t n)
{
	struct lb_cdb_sched s = { .known_idle = true, .no_reply = true };
	uint64_t lo = p->lo_ns, hi = p->hi_ns;
	if (!hi || !p->block)
		return s; /* nothing learned yet: the engine's rate */
	if (n < p->block) {
		s.first_poll_ns = hi * n / p->block;
		s.step_ns = hi / 64u;
	} else if (p->probe) {
		s.first_poll_ns = hi - hi / 16u;
		s.step_ns = hi / 16u;
	} else if (hi - lo > hi / 512u) {
		s.first_poll_ns = lo + (hi - lo) / 2u;
		s.step_ns = hi - s.first_poll_ns;
	} else {
		s.first_poll_ns = hi;
		s.step_ns = hi / 64u;
	}
	return s;
}

void lb_fw_pace_learn(struct lb_fw_pace *p, uint32_t n, uint64_t busy_ns, uint64_t done_ns)
{
	if (n != p->block || !done_ns)
		return;
	p->probe = false;
	uint64_t hi = p->hi_ns, lo = p->lo_ns;
	if (!hi || done_ns < hi || busy_ns >= hi)
		p->hi_ns = done_ns; /* quicker than known, or slower: busy where it was done before */
	if (busy_ns > lo) {
		p->lo_ns = busy_ns;
	} else if (!busy_ns && hi && done_ns < hi) {
		/* done at the first look, below hi: perhaps quicker than lo says; look twice as far */
		uint64_t w = 2u * (hi - lo);
		p->lo_ns = p->hi_ns > w ? p->hi_ns - w : 0;
	}
	if (p->lo_ns >= p->hi_ns)
		p->lo_ns = p->hi_ns - p->hi_ns / 16u;
	if (++p->since_probe >= PACE_REPROBE_BLOCKS) {
		p->since_probe = 0;
		p->probe = p->hi_ns - p->lo_ns <= p->hi_ns / 512u; /* has it got quicker? */
	}
}
