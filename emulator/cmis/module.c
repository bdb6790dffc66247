/* SPDX-License-Identifier: MIT */
/* Module objects: creation, destruction, peek/poke, timing, fault injection. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emulator/cmis/emu_cdb.h"
#include "emulator/cmis/emu_page.h"
#include "emulator/i2c/emu_world.h"

void emu_errf(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *emu_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

struct lb_emu_module *emu_module_alloc(struct lb_emu_world *w)
{
	struct lb_emu_module *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->world = w;
	m->present = true;
	m->t = lb_emu_world_now_ns(w);
	m->mem.nbanks = 1;
	return m;
}

static void module_free(struct lb_emu_module *m)
{
	emu_pages_free(m);
	emu_mem_free(&m->mem);
	emu_mem_free(&m->defaults);
	free(m);
}

int emu_module_finish(struct lb_emu_module *m)
{
	m->flat = (m->mem.lower[2] & 0x80) != 0;
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	m->mem.nbanks = m->flat ? 1 : emu_banks_from_adv(p01 ? p01[142 - 128] : 0,
							   p01 ? p01[174 - 128] : 0);
	m->nlanes = m->flat ? 0 : 8 * m->mem.nbanks;
	int rc = emu_mem_copy(&m->defaults, &m->mem);
	if (!rc)
		rc = emu_pages_install(m);
	if (rc)
		return rc;
	m->cur_page = 0;
	m->cur_bank = 0;
	m->addr = 0;
	int st = (m->mem.lower[3] >> 1) & 7;
	m->msm = m->flat ? EMU_MS_READY : (st >= 1 && st <= 5 ? st : EMU_MS_LOWPWR);
	/*
	 * A reserved code in an image stays in byte 3 as the field module reported it (a replay
	 * shows the anomaly); the machine itself runs from ModuleLowPwr and rewrites byte 3 at
	 * its first transition.
	 */
	/* A transient state taken from an image restarts its full duration now. */
	if (m->msm == EMU_MS_PWRUP)
		m->msm_deadline = m->t + m->timing.module_pwr_up_ns;
	else if (m->msm == EMU_MS_PWRDN)
		m->msm_deadline = m->t + m->timing.module_pwr_dn_ns;
	for (unsigned l = 0; l < m->nlanes; l++) {
		switch (emu_dp_lane_state(m, l)) {
		case EMU_DP_INIT:
			m->lane[l].deadline = m->t + m->timing.dp_init_ns;
			break;
		case EMU_DP_DEINIT:
			m->lane[l].deadline = m->t + m->timing.dp_deinit_ns;
			break;
		case EMU_DP_TXTURNON:
			m->lane[l].deadline = m->t + m->timing.dp_tx_turn_on_ns;
			break;
		case EMU_DP_TXTURNOFF:
			m->lane[l].deadline = m->t + m->timing.dp_tx_turn_off_ns;
			break;
		default:
			break;
		}
	}
	emu_lock(m->world);
	emu_world_add_module(m->world, m);
	emu_unlock(m->world);
	return LB_OK;
}

LB_API int lb_emu_module_create(struct lb_emu_world *w, const char *profile_path,
				struct lb_emu_module **out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!w || !profile_path || !out)
		return LB_E_INVAL;
	struct lb_emu_module *m = emu_module_alloc(w);
	if (!m)
		return LB_E_NOMEM;
	m->source = EMU_FROM_PROFILE;
	int rc = emu_profile_load(m, profile_path, err, errlen);
	if (!rc)
		rc = emu_module_finish(m);
	if (rc) {
		module_free(m);
		return rc;
	}
	emu_module_lock(m);
	emu_module_eval(m); /* a profile whose LPMode pin starts deasserted powers up at once */
	emu_module_unlock(m);
	*out = m;
	return LB_OK;
}

LB_API int lb_emu_module_create_from_image(struct lb_emu_world *w, const char *path,
					   struct lb_emu_module **out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!w || !path || !out)
		return LB_E_INVAL;
	struct lb_emu_module *m = emu_module_alloc(w);
	if (!m)
		return LB_E_NOMEM;
	m->source = EMU_FROM_IMAGE;
	int rc = emu_image_load(m, path, err, errlen);
	if (!rc)
		rc = emu_module_finish(m);
	if (rc) {
		module_free(m);
		return rc;
	}
	m->fresh = true; /* bytes stay exactly as loaded until the module first runs */
	*out = m;
	return LB_OK;
}

static void lb_emu_module_destroy_unlocked(struct lb_emu_module *m)
{
	if (!m)
		return;
	if (m->segment)
		emu_segment_detach(m->segment, m);
	emu_world_remove_module(m->world, m);
	emu_telemetry_release(m);
	module_free(m);
}

LB_API void lb_emu_module_destroy(struct lb_emu_module *m)
{
	if (!m)
		return;
	struct lb_emu_world *w = m->world;
	emu_lock(w);
	lb_emu_module_destroy_unlocked(m);
	emu_unlock(w);
}

/* 16-bit FNV-1a of s (the 32-bit hash folded). */
static unsigned hash16(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return (unsigned)((h >> 16) ^ (h & 0xFFFFu));
}

/* Page 00h bytes 166-181 in one memory, 222 recomputed when it was right. */
static void put_serial(struct emu_mem *mem, const uint8_t sn[16])
{
	uint8_t *p00 = emu_mem_page(mem, 0, 0x00);
	if (!p00)
		return;
	bool sum_ok = p00[222 - 128] == emu_page_sum(p00, 128, 221);
	memcpy(&p00[166 - 128], sn, 16);
	if (sum_ok)
		p00[222 - 128] = emu_page_sum(p00, 128, 221);
}

LB_API int lb_emu_module_set_fleet_serial(struct lb_emu_module *m, const char *bus, int channel,
					  uint16_t addr)
{
	if (!m || !bus || channel < -1 || channel > 7 || addr > 0x7F)
		return LB_E_INVAL;
	emu_module_lock(m);
	const uint8_t *p00 = emu_mem_page(&m->defaults, 0, 0x00);
	if (m->source == EMU_FROM_PROFILE && p00) {
		/* the profile's serial, trailing spaces and digits dropped, at most 9 characters */
		size_t n = 16;
		while (n && p00[166 - 128 + n - 1] == ' ')
			n--;
		while (n && p00[166 - 128 + n - 1] >= '0' && p00[166 - 128 + n - 1] <= '9')
			n--;
		if (n > 9)
			n = 9;
		char sn[17];
		snprintf(sn, sizeof(sn), "%.*s%04X%c%02X", (int)n, (const char *)&p00[166 - 128],
			 hash16(bus), channel < 0 ? 'D' : '0' + channel, (unsigned)addr);
		uint8_t field[16];
		memset(field, ' ', sizeof(field));
		memcpy(field, sn, strlen(sn));
		put_serial(&m->defaults, field);
		put_serial(&m->mem, field);
	}
	emu_module_unlock(m);
	return LB_OK;
}

LB_API const char *lb_emu_module_name(const struct lb_emu_module *m)
{
	return m ? m->name : "";
}

static int lb_emu_module_present_unlocked(const struct lb_emu_module *m)
{
	return m && m->present ? 1 : 0;
}

LB_API int lb_emu_module_present(const struct lb_emu_module *m)
{
	if (!m)
		return lb_emu_module_present_unlocked(m);
	emu_module_lock((struct lb_emu_module *)m);
	int rc = lb_emu_module_present_unlocked(m);
	emu_module_unlock((struct lb_emu_module *)m);
	return rc;
}

LB_API void lb_emu_module_get_timing(const struct lb_emu_module *m, struct lb_emu_timing *out)
{
	if (!out)
		return;
	if (!m) {
		memset(out, 0, sizeof(*out));
		return;
	}
	*out = m->timing;
}

static int span(const struct lb_emu_module *m, uint8_t bank, uint8_t page, uint8_t offset,
		size_t len, const void *buf)
{
	if (!m || (len && !buf))
		return LB_E_INVAL;
	if ((size_t)offset + len > 256)
		return LB_E_RANGE;
	if ((size_t)offset + len > 128 && !emu_page_exists(m, bank, page))
		return LB_E_NOTFOUND;
	return LB_OK;
}

static int lb_emu_module_peek_unlocked(const struct lb_emu_module *m, uint8_t bank, uint8_t page,
			      uint8_t offset, uint8_t *buf, size_t len)
{
	int rc = span(m, bank, page, offset, len, buf);
	if (rc)
		return rc;
	const uint8_t *p = emu_mem_page(&m->mem, bank, page);
	for (size_t i = 0; i < len; i++) {
		size_t a = offset + i;
		buf[i] = a < 128 ? m->mem.lower[a] : p[a - 128];
	}
	return LB_OK;
}

LB_API int lb_emu_module_peek(const struct lb_emu_module *m, uint8_t bank, uint8_t page,
			      uint8_t offset, uint8_t *buf, size_t len)
{
	if (!m)
		return lb_emu_module_peek_unlocked(m, bank, page, offset, buf, len);
	emu_module_lock((struct lb_emu_module *)m);
	int rc = lb_emu_module_peek_unlocked(m, bank, page, offset, buf, len);
	emu_module_unlock((struct lb_emu_module *)m);
	return rc;
}

static int lb_emu_module_poke_unlocked(struct lb_emu_module *m, uint8_t bank, uint8_t page,
			      uint8_t offset, const uint8_t *buf, size_t len)
{
	int rc = span(m, bank, page, offset, len, buf);
	if (rc)
		return rc;
	uint8_t *p = emu_mem_page(&m->mem, bank, page);
	for (size_t i = 0; i < len; i++) {
		size_t a = offset + i;
		if (a < 128)
			m->mem.lower[a] = buf[i];
		else
			p[a - 128] = buf[i];
	}
	return LB_OK;
}

LB_API int lb_emu_module_poke(struct lb_emu_module *m, uint8_t bank, uint8_t page,
			      uint8_t offset, const uint8_t *buf, size_t len)
{
	if (!m)
		return lb_emu_module_poke_unlocked(m, bank, page, offset, buf, len);
	emu_module_lock(m);
	int rc = lb_emu_module_poke_unlocked(m, bank, page, offset, buf, len);
	emu_module_unlock(m);
	return rc;
}

static int lb_emu_module_inject_unlocked(struct lb_emu_module *m, enum lb_emu_fault fault, unsigned count)
{
	if (!m)
		return LB_E_INVAL;
	emu_module_sync(m);
	switch (fault) {
	case LB_EMU_FAULT_NACK:
		m->nack_count = count;
		return LB_OK;
	case LB_EMU_FAULT_SHORT:
		m->short_count = count;
		return LB_OK;
	case LB_EMU_FAULT_MODULE_FAULT:
		if (count > 255)
			return LB_E_INVAL;
		if (m->flat)
			return LB_E_NOTSUP; /* flat modules always report ModuleReady */
		m->mem.lower[41] = (uint8_t)count;
		emu_dp_force_deactivated(m); /* a faulted module stops transmitting */
		for (unsigned l = 0; l < EMU_MAX_LANES; l++)
			m->lane[l].apply_pending = false;
		emu_msm_set(m, EMU_MS_FAULT);
		emu_flags_refresh(m);
		return LB_OK;
	case LB_EMU_FAULT_CHECKSUM: {
		uint8_t *p00 = emu_mem_page(&m->mem, 0, 0x00);
		if (!p00)
			return LB_E_NOTFOUND;
		p00[222 - 128] ^= 0xFF; /* inverted: always wrong; injecting again restores it */
		return LB_OK;
	}
	case LB_EMU_FAULT_STUCK_BUSY:
		m->stuck_busy = count != 0;
		return LB_OK;
	case LB_EMU_FAULT_CDB_STUCK:
	case LB_EMU_FAULT_CDB_BAD_REPLY:
	case LB_EMU_FAULT_CDB_SLOW:
		return emu_cdb_inject(m, fault, count);
	default:
		return LB_E_INVAL;
	}
}

LB_API int lb_emu_module_inject(struct lb_emu_module *m, enum lb_emu_fault fault, unsigned count)
{
	if (!m)
		return lb_emu_module_inject_unlocked(m, fault, count);
	emu_module_lock(m);
	int rc = lb_emu_module_inject_unlocked(m, fault, count);
	emu_module_unlock(m);
	return rc;
}
