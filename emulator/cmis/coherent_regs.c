/* SPDX-License-Identifier: MIT */
/*
 * The coherent registers a module fills from its measures (emu_coherent.h): VDM samples
 * (24h-27h, by each descriptor's type and lane), the C-CMIS FEC PM (34h) and link PM (35h) of
 * media lane 1 of each bank, and the flags: VDM (2Ch, samples against their threshold sets),
 * coherent media lane flags (33h) and Rx LOS / LOL (11h:147-148). A measure nobody modelled
 * leaves its registers as they are.
 */
#include <math.h>
#include <lightbridge/coherent.h>
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)

enum kind { CUR, MIN, MAX, AVG };

/* The measure a VDM observable type shows, and which statistic of it. */
static bool vdm_measure(unsigned type, unsigned *k, enum kind *kind)
{
	static const struct { uint8_t type, measure, kind; } map[] = {
		{ 3, EMU_COH_FREQ_ERR, CUR },
		{ 9, EMU_COH_PRE_FEC_BER, MIN },
		{ 11, EMU_COH_PRE_FEC_BER, MAX },
		{ 13, EMU_COH_PRE_FEC_BER, AVG },
		{ 15, EMU_COH_PRE_FEC_BER, CUR },
		{ 134, EMU_COH_CD, CUR },
		{ 135, EMU_COH_CD, CUR },
		{ 136, EMU_COH_DGD, CUR },
		{ 137, EMU_COH_SOPMD, CUR },
		{ 138, EMU_COH_PDL, CUR },
		{ 139, EMU_COH_OSNR, CUR },
		{ 140, EMU_COH_ESNR, CUR },
		{ 141, EMU_COH_CFO, CUR },
		{ 142, EMU_COH_EVM, CUR },
		{ 144, EMU_COH_RX_TOTAL, CUR },
		{ 145, EMU_COH_RX_SIGNAL, CUR },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].type == type) {
			*k = map[i].measure;
			*kind = (enum kind)map[i].kind;
			return true;
		}
	}
	return false;
}

/* The value of a lane's measure as kind, or false when the interval has none. */
static bool measure_value(const struct emu_coh_lane *ln, unsigned k, enum kind kind, double *v)
{
	if (!ln->have[k])
		return false;
	const struct emu_coh_stat *s = &ln->st[k];
	if (kind != CUR && !s->n)
		return false;
	switch (kind) {
	case MIN: *v = s->min; break;
	case MAX: *v = s->max; break;
	case AVG: *v = s->sum / s->n; break;
	default: *v = ln->cur[k]; break;
	}
	return true;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)(v & 0xFFu);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xFFFFu);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static unsigned raw_u16(double x)
{
	return !(x > 0) ? 0u : x >= 65535.0 ? 65535u : (unsigned)lround(x);
}

static unsigned raw_s16(double x)
{
	long r = x >= 32767.0 ? 32767 : x <= -32768.0 ? -32768 : isnan(x) ? 0 : lround(x);
	return (unsigned)(uint16_t)(int16_t)r;
}

/* CMIS F16 (M x 10^(E - 24)) nearest to x: the largest exponent-fitting mantissa. */
static unsigned raw_f16(double x)
{
	if (!(x > 0))
		return 0;
	for (int e = 0; e < 32; e++) {
		double mant = x / pow(10.0, e - 24);
		if (mant < 2047.5) {
			long mi = lround(mant);
			return (unsigned)e << 11 | (unsigned)mi;
		}
	}
	return 0xFFFFu; /* above 2047 x 10^7: the largest */
}

/* A value of a VDM type in its register format. */
static unsigned vdm_raw(unsigned type, double v)
{
	const struct lb_vdm_type *t = lb_vdm_type_find(type);
	if (!t)
		return 0;
	double x = v / t->scale;
	switch (t->format) {
	case LB_VDM_FORMAT_F16: return raw_f16(x);
	case LB_VDM_FORMAT_S16: return raw_s16(x);
	default: return raw_u16(x);
	}
}

static unsigned vdm_groups(const struct lb_emu_module *m, unsigned bank)
{
	const uint8_t *p2f = emu_mem_page(&m->mem, bank, 0x2F);
	return p2f ? (p2f[P(128)] & 3u) + 1u : 0;
}

static void write_vdm(struct lb_emu_module *m, unsigned bank)
{
	unsigned groups = vdm_groups(m, bank);
	for (unsigned g = 0; g < groups; g++) {
		const uint8_t *desc = emu_mem_page(&m->mem, bank, (uint8_t)(0x20 + g));
		uint8_t *val = emu_mem_page(&m->mem, bank, (uint8_t)(0x24 + g));
		if (!desc || !val)
			continue;
		for (unsigned i = 0; i < 64; i++) {
			unsigned obj = desc[2 * i] & 0x0Fu, type = desc[2 * i + 1], k, l = 8 * bank + obj;
			enum kind kind;
			double v;
			if (!type || obj > 7 || l >= LB_EMU_MAX_MEDIA_LANES || !vdm_measure(type, &k, &kind) ||
			    !measure_value(&m->coh.lane[l], k, kind, &v))
				continue;
			put16(&val[2 * i], vdm_raw(type, v));
		}
	}
}

/* The FEC PM of media lane l into page 34h. */
static void write_fec_pm(struct lb_emu_module *m, uint8_t *p34, unsigned l)
{
	const struct emu_coh_lane *ln = &m->coh.lane[l];
	if (!ln->have[EMU_COH_PRE_FEC_BER])
		return;
	double sub_bits = emu_coherent_line_rate(m, l) * emu_coherent_sub_interval_s(m);
	put64(&p34[P(128)], ln->bits);
	put64(&p34[P(136)], (uint64_t)llround(sub_bits));
	put64(&p34[P(144)], ln->corrected);
	put64(&p34[P(152)], ln->corr_min);
	put64(&p34[P(160)], ln->corr_max);
	put32(&p34[P(168)], (uint32_t)ln->frames); /* U32: wraps */
	put32(&p34[P(172)], (uint32_t)llround(sub_bits / EMU_COH_FRAME_BITS));
	put32(&p34[P(176)], (uint32_t)ln->uncorrectable);
	put32(&p34[P(180)], ln->unc_min);
	put32(&p34[P(184)], ln->unc_max);
}

/* The link PM metrics of page 35h: avg, min, max at off, off + w, off + 2w. */
static const struct {
	uint8_t off, measure;
	bool s32, is_signed;
	double scale;
} link_pm[] = {
	{ 128, EMU_COH_CD, true, true, 1.0 },
	{ 140, EMU_COH_DGD, false, false, 0.01 },
	{ 146, EMU_COH_SOPMD, false, false, 0.01 },
	{ 152, EMU_COH_PDL, false, false, 0.1 },
	{ 158, EMU_COH_OSNR, false, false, 0.1 },
	{ 164, EMU_COH_ESNR, false, false, 0.1 },
	{ 170, EMU_COH_CFO, false, true, 1.0 },
	{ 176, EMU_COH_EVM, false, false, 100.0 / 65535.0 },
	{ 188, EMU_COH_RX_TOTAL, false, true, 0.01 },
	{ 194, EMU_COH_RX_SIGNAL, false, true, 0.01 },
};

static void write_link_pm(struct lb_emu_module *m, uint8_t *p35, unsigned l)
{
	const struct emu_coh_lane *ln = &m->coh.lane[l];
	for (size_t i = 0; i < sizeof(link_pm) / sizeof(link_pm[0]); i++) {
		const struct emu_coh_stat *s = &ln->st[link_pm[i].measure];
		if (!ln->have[link_pm[i].measure] || !s->n)
			continue;
		double v[3] = { s->sum / s->n, s->min, s->max };
		for (unsigned j = 0; j < 3; j++) {
			double x = v[j] / link_pm[i].scale;
			if (link_pm[i].s32) {
				double c = x >= 2147483647.0 ? 2147483647.0 : x <= -2147483648.0 ? -2147483648.0 : x;
				put32(&p35[P(link_pm[i].off + 4 * j)], (uint32_t)(int32_t)llround(c));
			} else {
				put16(&p35[P(link_pm[i].off + 2 * j)],
				      link_pm[i].is_signed ? raw_s16(x) : raw_u16(x));
			}
		}
	}
}

void emu_coherent_write_regs(struct lb_emu_module *m)
{
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		write_vdm(m, b);
		unsigned l = 8 * b;
		if (l >= LB_EMU_MAX_MEDIA_LANES)
			continue;
		uint8_t *p34 = emu_mem_page(&m->mem, b, 0x34);
		uint8_t *p35 = emu_mem_page(&m->mem, b, 0x35);
		if (p34)
			write_fec_pm(m, p34, l);
		if (p35)
			write_link_pm(m, p35, l);
	}
}

/* Flag bits (HA 1, LA 2, HW 4, LW 8) of value v against a threshold set of type. */
static uint8_t level(unsigned type, double v, const uint8_t *set)
{
	uint8_t f = 0;
	if (v > lb_vdm_value(type, (uint16_t)(set[0] << 8 | set[1])))
		f |= 1;
	if (v < lb_vdm_value(type, (uint16_t)(set[2] << 8 | set[3])))
		f |= 2;
	if (v > lb_vdm_value(type, (uint16_t)(set[4] << 8 | set[5])))
		f |= 4;
	if (v < lb_vdm_value(type, (uint16_t)(set[6] << 8 | set[7])))
		f |= 8;
	return f;
}

uint8_t emu_vdm_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr)
{
	if (!m->coh.modelled || addr < 128)
		return 0;
	unsigned groups = vdm_groups(m, bank);
	uint8_t out = 0;
	for (unsigned j = 0; j < 2; j++) {
		unsigned gi = 2u * (addr - 128u) + j, g = gi / 64, i = gi % 64;
		if (g >= groups)
			continue;
		const uint8_t *desc = emu_mem_page(&m->mem, bank, (uint8_t)(0x20 + g));
		const uint8_t *val = emu_mem_page(&m->mem, bank, (uint8_t)(0x24 + g));
		const uint8_t *thr = emu_mem_page(&m->mem, bank, (uint8_t)(0x28 + g));
		unsigned type = desc ? desc[2 * i + 1] : 0;
		if (!type || !val || !thr || !lb_vdm_type_find(type))
			continue;
		double v = lb_vdm_value(type, (uint16_t)(val[2 * i] << 8 | val[2 * i + 1]));
		out |= (uint8_t)(level(type, v, &thr[8 * (desc[2 * i] >> 4)]) << (4 * j));
	}
	return out;
}

uint8_t emu_ccmis_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr)
{
	unsigned l = 8 * bank + (addr - EMU_CCMIS_FLAG_FIRST);
	if (!m->coh.modelled || addr < EMU_CCMIS_FLAG_FIRST ||
	    addr >= EMU_CCMIS_FLAG_FIRST + EMU_CCMIS_FLAG_N || l >= LB_EMU_MAX_MEDIA_LANES)
		return 0;
	const struct emu_coh_lane *ln = &m->coh.lane[l];
	uint8_t f = 0;
	if (ln->los)
		f |= EMU_CCMIS_FLAG_LOS;
	if (ln->lol)
		f |= EMU_CCMIS_FLAG_LOL;
	if (ln->have[EMU_COH_POST_FEC_BER] && ln->cur[EMU_COH_POST_FEC_BER] > 0 && !ln->los && !ln->lol)
		f |= EMU_CCMIS_FLAG_UNCORR;
	return f;
}

/* OR bits into *b; whether any was new. */
static bool latch(uint8_t *b, uint8_t bits)
{
	bool fresh = (bits & ~*b) != 0;
	*b |= bits;
	return fresh;
}

bool emu_coherent_latch_flags(struct lb_emu_module *m)
{
	bool fresh = false;
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		uint8_t *p2c = emu_mem_page(&m->mem, b, 0x2C);
		uint8_t *p33 = emu_mem_page(&m->mem, b, 0x33);
		uint8_t *p11 = emu_mem_page(&m->mem, b, 0x11);
		for (unsigned a = 128; p2c && a < 256; a++)
			fresh |= latch(&p2c[P(a)], emu_vdm_flag_level(m, b, (uint8_t)a));
		for (unsigned a = EMU_CCMIS_FLAG_FIRST; p33 && a < EMU_CCMIS_FLAG_FIRST + EMU_CCMIS_FLAG_N; a++)
			fresh |= latch(&p33[P(a)], emu_ccmis_flag_level(m, b, (uint8_t)a));
		for (unsigned i = 0; p11 && i < 8 && 8 * b + i < LB_EMU_MAX_MEDIA_LANES; i++) {
			const struct emu_coh_lane *ln = &m->coh.lane[8 * b + i];
			if (ln->los)
				fresh |= latch(&p11[P(147)], (uint8_t)(1u << i));
			if (ln->lol)
				fresh |= latch(&p11[P(148)], (uint8_t)(1u << i));
		}
	}
	return fresh;
}
