/* SPDX-License-Identifier: MIT */
/*
 * Page B8h, the PCS vendor page of layout "PCS1" (docs/extensions.md, "The PCS vendor page"):
 * the line modes a module adds to its applications (probabilistically shaped modes among
 * them), a requested mode (byte 144, read-write) and the mode in force (140) with its status
 * (141). A request is taken only while every data path is DPDeactivated: the mode changes
 * after the mode-change time the page itself advertises (136-137, ms), status "changing" in
 * between; a request with data paths up, or of a code the page does not describe, is
 * rejected (status 2 or 3) and nothing changes. The measured module power (138-139) follows
 * the typical power of the mode in force (the profile's value for the application's own).
 * Everything else is the profile's content, read-only. Without the signature the page is
 * plain read-only memory.
 */
#include <string.h>
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)
#define PCS_PAGE 0xB8

#define OFF_CHANGE_MS 136u
#define OFF_POWER 138u
#define OFF_ACTIVE 140u
#define OFF_STATUS 141u
#define OFF_REQUEST 144u
#define OFF_DESC 160u
#define DESC_LEN 32u
#define DESC_COUNT 3u
#define DESC_POWER 13u /* U16 x 0.01 W within a descriptor */

#define STATUS_IDLE 0u
#define STATUS_CHANGING 1u
#define STATUS_REJECTED_ACTIVE 2u
#define STATUS_REJECTED_CODE 3u

struct pcs_state {
	uint64_t done_ns;  /* end of a change under way; 0: none */
	uint8_t own_power[2]; /* the profile's measured power, for the application's own mode */
	bool own_kept;
};

static const struct emu_range ranges[] = {
	{ OFF_REQUEST, OFF_REQUEST, EMU_RW },
};

static uint8_t *page(const struct lb_emu_module *m)
{
	uint8_t *p = emu_mem_page(&m->mem, 0, PCS_PAGE);
	return p && memcmp(&p[P(128)], "PCS1", 4) == 0 && p[P(132)] == 1 ? p : NULL;
}

/* The descriptor of code (1-255), or NULL. */
static const uint8_t *descriptor(const uint8_t *p, uint8_t code)
{
	for (unsigned i = 0; code && i < DESC_COUNT; i++)
		if (p[P(OFF_DESC) + i * DESC_LEN] == code)
			return &p[P(OFF_DESC) + i * DESC_LEN];
	return NULL;
}

static void keep_own_power(struct pcs_state *s, const uint8_t *p)
{
	if (!s->own_kept) {
		memcpy(s->own_power, &p[P(OFF_POWER)], 2);
		s->own_kept = true;
	}
}

/* The mode in force becomes code: its typical power is what the module now draws. */
static void put_in_force(struct pcs_state *s, uint8_t *p, uint8_t code)
{
	keep_own_power(s, p);
	const uint8_t *d = descriptor(p, code);
	p[P(OFF_ACTIVE)] = code;
	p[P(OFF_STATUS)] = STATUS_IDLE;
	memcpy(&p[P(OFF_POWER)], d ? d + DESC_POWER : s->own_power, 2);
	s->done_ns = 0;
}

static void pcs_write(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
		      uint8_t value)
{
	struct pcs_state *s = priv;
	uint8_t *p = page(m);
	if (!p || io->bank != 0 || addr != OFF_REQUEST)
		return;
	if (value && !descriptor(p, value)) {
		p[P(OFF_STATUS)] = STATUS_REJECTED_CODE;
		return;
	}
	if (!emu_dp_all_deactivated(m)) {
		p[P(OFF_STATUS)] = STATUS_REJECTED_ACTIVE;
		return;
	}
	unsigned ms = (unsigned)p[P(OFF_CHANGE_MS)] << 8 | p[P(OFF_CHANGE_MS + 1)];
	if (value == p[P(OFF_ACTIVE)] || ms == 0) {
		put_in_force(s, p, value);
		return;
	}
	p[P(OFF_STATUS)] = STATUS_CHANGING;
	s->done_ns = m->t + ms * 1000000ull;
}

static uint64_t pcs_next_deadline(const struct lb_emu_module *m, const void *priv)
{
	(void)m;
	const struct pcs_state *s = priv;
	return s->done_ns ? s->done_ns : UINT64_MAX;
}

static void pcs_run(struct lb_emu_module *m, void *priv)
{
	struct pcs_state *s = priv;
	uint8_t *p = page(m);
	if (p && s->done_ns && m->t >= s->done_ns)
		put_in_force(s, p, p[P(OFF_REQUEST)]);
	else if (!p)
		s->done_ns = 0;
}

/* A state restored mid-change (timers are not saved) ends the change at the first read. */
static void pcs_before_read(struct lb_emu_module *m, void *priv, const struct emu_io *io,
			    uint8_t addr, size_t n)
{
	(void)io;
	(void)addr;
	(void)n;
	struct pcs_state *s = priv;
	uint8_t *p = page(m);
	if (p && !s->done_ns && p[P(OFF_STATUS)] == STATUS_CHANGING)
		put_in_force(s, p, p[P(OFF_REQUEST)]);
}

static void pcs_power_on(struct lb_emu_module *m, void *priv)
{
	struct pcs_state *s = priv;
	uint8_t *p = page(m);
	s->done_ns = 0;
	if (!p)
		return;
	/* a reset returns to the application's own mode */
	p[P(OFF_REQUEST)] = 0;
	put_in_force(s, p, 0);
}

const struct emu_page_handler emu_page_pcs = {
	.name = "pcs",
	.first_page = PCS_PAGE,
	.last_page = PCS_PAGE,
	.access = EMU_RO,
	EMU_RANGES(ranges),
	.priv_size = sizeof(struct pcs_state),
	.write = pcs_write,
	.next_deadline = pcs_next_deadline,
	.run = pcs_run,
	.before_read = pcs_before_read,
	.power_on = pcs_power_on,
};
