/* SPDX-License-Identifier: MIT */
/*
 * Laser tuning on page 12h (the hooks of the page's handler, page_12h.c). Writing a lane's
 * channel number (its low byte, 137 + 2n, the last byte a host writes: grid first, then the
 * fine-tuning offset, then the channel) starts tuning to what grid, channel and fine tuning
 * then say, checked against page 04h: a grid the module lacks, a channel outside the grid's
 * bounds or not one the grid takes latches "invalid channel" (231 + n bit 2), an offset
 * outside the fine-tuning range latches "fine tuning out of range" (bit 4), and nothing
 * moves. Otherwise the lane reports tuning in progress and wavelength unlocked (222 + n) for
 * EMU_TUNING_MS of virtual time, then the new current frequency (168 + 4n), locked, and
 * "tuning complete" (bit 0). The tunings under way are part of the saved state ("tuning").
 */
#include <string.h>
#include <jansson.h>
#include "emulator/cmis/emu_page.h"
#include "emulator/cmis/emu_tuning.h"

#define P(b) EMU_P(b)
#define EMU_TUNING_MS 1000u

#define FLAG_COMPLETE 0x01u
#define FLAG_INVALID_CHANNEL 0x04u
#define FLAG_FINE_OUT_OF_RANGE 0x10u
#define STATUS_TUNING 0x02u
#define STATUS_UNLOCKED 0x01u

static int16_t s16(const uint8_t *b)
{
	return (int16_t)(uint16_t)((unsigned)b[0] << 8 | b[1]);
}

/*
 * Frequency of channel n on grid code g in MHz (CMIS 5.4 Table 8-98), false when the grid
 * does not take n. Thirds of a MHz keep the 33 GHz grid (100/3 GHz steps) exact.
 */
static bool channel_mhz(unsigned g, int n, int64_t fine_mhz, uint32_t *mhz)
{
	static const struct { int64_t step; int offset, multiple; } grid[10] = {
		{ 3125 * 3, 0, 1 }, { 6250 * 3, 0, 1 }, { 12500 * 3, 0, 1 }, { 25000 * 3, 0, 1 },
		{ 50000 * 3, 0, 1 }, { 100000 * 3, 0, 1 }, { 100000, 0, 1 }, { 25000 * 3, 0, 3 },
		{ 25000 * 3, 3, 6 }, { 12500 * 3, -9, 24 },
	};
	if (g >= 10 || n % grid[g].multiple)
		return false;
	int64_t third = 193100000LL * 3 + (int64_t)(n + grid[g].offset) * grid[g].step;
	int64_t f = (third + 1) / 3 + fine_mhz; /* nearest MHz */
	if (f <= 0 || f > UINT32_MAX)
		return false;
	*mhz = (uint32_t)f;
	return true;
}

/* Whether page 04h advertises grid code g with channel n in its bounds. */
static bool channel_advertised(const uint8_t *p04, unsigned g, int n)
{
	unsigned bits = (unsigned)p04[P(128)] | ((unsigned)p04[P(129)] & 0x40u) << 2 |
			((unsigned)p04[P(129)] & 0x20u) << 4; /* bit g: grid code g advertised */
	if (g >= 10 || !((bits >> g) & 1u))
		return false;
	const uint8_t *b = &p04[P(130) + 4 * g];
	return n >= s16(b) && n <= s16(b + 2);
}

static bool fine_in_range(const uint8_t *p04, int fine)
{
	if (!(p04[P(129)] & 0x80u))
		return fine == 0;
	return fine >= s16(&p04[P(192)]) && fine <= s16(&p04[P(194)]);
}

/*
 * What lane i of bank's grid, channel and fine offset ask for: the frequency in MHz, or the
 * flag to latch (0 when page 04h or 12h is missing: nothing to do).
 */
static uint8_t target(const struct lb_emu_module *m, unsigned bank, unsigned i, uint32_t *mhz)
{
	const uint8_t *p12 = emu_mem_page(&m->mem, bank, 0x12);
	const uint8_t *p04 = emu_mem_page(&m->mem, 0, 0x04);
	if (!p12 || !p04)
		return 0;
	unsigned g = p12[P(128) + i] >> 4;
	bool fine_on = p12[P(128) + i] & 0x01u;
	if (m->mem.lower[1] == 0x40 && (g == 6 || g == 7)) /* CMIS 4.0 numbered them the other way */
		g = g == 6 ? 7 : 6;
	int n = s16(&p12[P(136) + 2 * i]);
	int fine = fine_on ? s16(&p12[P(152) + 2 * i]) : 0;
	if (!channel_advertised(p04, g, n) || !channel_mhz(g, n, fine, mhz))
		return FLAG_INVALID_CHANNEL;
	if (!fine_in_range(p04, fine))
		return FLAG_FINE_OUT_OF_RANGE;
	return FLAG_COMPLETE;
}

static void start(struct lb_emu_module *m, struct emu_tuning *tu, unsigned bank, unsigned i)
{
	uint8_t *p12 = emu_mem_page(&m->mem, bank, 0x12);
	uint32_t mhz = 0;
	uint8_t flag = target(m, bank, i, &mhz);
	if (!p12 || !flag)
		return;
	if (flag != FLAG_COMPLETE) {
		p12[P(231) + i] |= flag;
		return;
	}
	p12[P(222) + i] = STATUS_TUNING | STATUS_UNLOCKED;
	tu->target_mhz[bank][i] = mhz;
	tu->done_ns[bank][i] = m->t + EMU_TUNING_MS * 1000000ull;
}

/* The laser arrives: the new current frequency, locked, "tuning complete". */
static void arrive(uint8_t *p12, unsigned i, uint32_t f)
{
	uint8_t *c = &p12[P(168) + 4 * i];
	c[0] = (uint8_t)(f >> 24), c[1] = (uint8_t)(f >> 16), c[2] = (uint8_t)(f >> 8);
	c[3] = (uint8_t)f;
	p12[P(222) + i] = 0;
	p12[P(231) + i] |= FLAG_COMPLETE;
}

void emu_tuning_write(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
		      uint8_t value)
{
	(void)m;
	(void)value;
	struct emu_tuning *tu = priv;
	if (addr >= 136 && addr <= 151 && (addr & 1u) && io->bank < EMU_MAX_BANKS)
		tu->pending[io->bank] |= (uint8_t)(1u << ((addr - 137u) / 2u));
}

void emu_tuning_write_done(struct lb_emu_module *m, void *priv, const struct emu_io *io)
{
	struct emu_tuning *tu = priv;
	if (io->bank >= EMU_MAX_BANKS)
		return;
	for (unsigned i = 0; i < 8; i++)
		if (((unsigned)tu->pending[io->bank] >> i) & 1u)
			start(m, tu, io->bank, i);
	tu->pending[io->bank] = 0;
}

uint64_t emu_tuning_next_deadline(const struct lb_emu_module *m, const void *priv)
{
	(void)m;
	const struct emu_tuning *tu = priv;
	uint64_t next = UINT64_MAX;
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
		for (unsigned i = 0; i < 8; i++)
			if (tu->done_ns[b][i] && tu->done_ns[b][i] < next)
				next = tu->done_ns[b][i];
	return next;
}

void emu_tuning_run(struct lb_emu_module *m, void *priv)
{
	struct emu_tuning *tu = priv;
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++) {
		uint8_t *p12 = emu_mem_page(&m->mem, b, 0x12);
		for (unsigned i = 0; i < 8; i++) {
			if (!tu->done_ns[b][i] || tu->done_ns[b][i] > m->t)
				continue;
			tu->done_ns[b][i] = 0;
			if (p12)
				arrive(p12, i, tu->target_mhz[b][i]);
		}
	}
}

/*
 * A lane that reads "in progress" with no tuning under way (a state saved without "tuning"
 * restored, or page 12h poked) arrives where its registers say, at once, so that it never
 * stays in progress.
 */
void emu_tuning_before_read(struct lb_emu_module *m, void *priv, const struct emu_io *io,
			    uint8_t addr, size_t n)
{
	(void)addr;
	(void)n;
	struct emu_tuning *tu = priv;
	if (io->bank >= EMU_MAX_BANKS)
		return;
	for (unsigned i = 0; i < 8; i++) {
		uint32_t mhz = 0;
		if (!(io->bytes[P(222) + i] & STATUS_TUNING) || tu->done_ns[io->bank][i])
			continue;
		if (target(m, io->bank, i, &mhz) == FLAG_COMPLETE)
			arrive(io->bytes, i, mhz);
		else
			io->bytes[P(222) + i] &= (uint8_t)~STATUS_TUNING;
	}
}

void emu_tuning_power_on(struct lb_emu_module *m, void *priv)
{
	(void)m;
	memset(priv, 0, sizeof(struct emu_tuning));
}

/* The tuning handler's state in m, or NULL when page 12h is not its (no such page). */
static struct emu_tuning *tuning_of(const struct lb_emu_module *m)
{
	const struct emu_page_slot *sl = &m->pages.slot[m->pages.of[0x12 + 1]];
	return sl->h == &emu_page_tuning ? sl->priv : NULL;
}

json_t *emu_tuning_save(const struct lb_emu_module *m)
{
	const struct emu_tuning *tu = tuning_of(m);
	json_t *a = json_array();
	for (unsigned b = 0; tu && a && b < EMU_MAX_BANKS; b++)
		for (unsigned i = 0; i < 8; i++)
			if (tu->done_ns[b][i])
				json_array_append_new(a, json_pack("{s:i, s:i, s:I, s:I}", "bank", (int)b,
								   "lane", (int)i, "done_ns",
								   (json_int_t)tu->done_ns[b][i],
								   "target_mhz",
								   (json_int_t)tu->target_mhz[b][i]));
	return a;
}

int emu_tuning_parse(const struct lb_emu_module *m, const json_t *a, uint64_t t,
		     struct emu_tuning *out)
{
	memset(out, 0, sizeof(*out));
	if (!a)
		return LB_OK; /* saved before tunings were */
	if (!json_is_array(a))
		return LB_E_PARSE;
	size_t k;
	const json_t *o;
	json_array_foreach(a, k, o) {
		json_int_t b = json_integer_value(json_object_get(o, "bank"));
		json_int_t i = json_integer_value(json_object_get(o, "lane"));
		json_int_t done = json_integer_value(json_object_get(o, "done_ns"));
		json_int_t f = json_integer_value(json_object_get(o, "target_mhz"));
		/* a tuning ends within EMU_TUNING_MS of the module's time, on a page it has */
		if (!json_is_object(o) || json_object_size(o) != 4 || b < 0 || b >= EMU_MAX_BANKS ||
		    i < 0 || i > 7 || !emu_mem_page(&m->mem, (unsigned)b, 0x12) || !tuning_of(m) ||
		    done <= 0 || (uint64_t)done > t + EMU_TUNING_MS * 1000000ull || f <= 0 ||
		    f > (json_int_t)UINT32_MAX || out->done_ns[b][i])
			return LB_E_PARSE;
		out->done_ns[b][i] = (uint64_t)done;
		out->target_mhz[b][i] = (uint32_t)f;
	}
	return LB_OK;
}

void emu_tuning_restore(struct lb_emu_module *m, const struct emu_tuning *in)
{
	struct emu_tuning *tu = tuning_of(m);
	if (tu)
		*tu = *in;
}
