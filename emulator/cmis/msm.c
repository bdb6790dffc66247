/* SPDX-License-Identifier: MIT */
/*
 * Virtual time and the module state machine: LowPwr, PwrUp, Ready, PwrDn, Fault; pins;
 * SoftwareReset, ResetL and power-on defaults. All durations come from m->timing.
 */
#include <string.h>
#include "emulator/cmis/emu_page.h"
#include "emulator/i2c/emu_world.h"

bool emu_low_pwr_s(const struct lb_emu_module *m)
{
	uint8_t c = m->mem.lower[26];
	/* LowPwrS = LowPwrRequestSW OR (LowPwrAllowRequestHW AND LPMode pin) (CMIS 5.4 6.3.2) */
	return (c & 0x10) || ((c & 0x40) && m->lpmode);
}

void emu_msm_set(struct lb_emu_module *m, int state)
{
	if (m->msm == state)
		return;
	m->msm = state;
	m->mem.lower[3] = (uint8_t)((m->mem.lower[3] & ~0x0Eu) | ((unsigned)state << 1));
	m->mem.lower[8] |= 0x01; /* ModuleStateChanged */
}

static bool msm_step(struct lb_emu_module *m)
{
	if (m->flat)
		return false; /* flat memory modules are always ModuleReady */
	bool lp = emu_low_pwr_s(m);
	switch (m->msm) {
	case EMU_MS_LOWPWR:
		if (!lp) {
			emu_msm_set(m, EMU_MS_PWRUP);
			m->msm_deadline = m->t + m->timing.module_pwr_up_ns;
			return true;
		}
		return false;
	case EMU_MS_PWRUP:
		/* A low-power request during power-up turns it around (no data paths exist yet). */
		if (lp) {
			emu_msm_set(m, EMU_MS_PWRDN);
			m->msm_deadline = m->t + m->timing.module_pwr_dn_ns;
			return true;
		}
		return false;
	case EMU_MS_READY:
		/* LowPwrExS: only once every data path has deinitialised (CMIS 5.4 eq. 6-4/6-5). */
		if (lp && emu_dp_all_deactivated(m)) {
			emu_msm_set(m, EMU_MS_PWRDN);
			m->msm_deadline = m->t + m->timing.module_pwr_dn_ns;
			return true;
		}
		return false;
	default:
		return false;
	}
}

static bool msm_fire(struct lb_emu_module *m)
{
	if (m->msm_deadline > m->t)
		return false;
	if (m->msm == EMU_MS_PWRUP) {
		emu_msm_set(m, EMU_MS_READY);
		return true;
	}
	if (m->msm == EMU_MS_PWRDN) {
		emu_msm_set(m, EMU_MS_LOWPWR);
		return true;
	}
	return false;
}

static bool active(const struct lb_emu_module *m)
{
	return m->present && !m->resetl && !m->resetting;
}

void emu_module_eval(struct lb_emu_module *m)
{
	if (!active(m))
		return;
	for (int i = 0; i < 16; i++) {
		bool changed = msm_step(m);
		if (m->msm != EMU_MS_FAULT)
			changed |= emu_dp_eval(m);
		if (!changed)
			break;
	}
	emu_dp_settle_reserved(m);
	emu_flags_refresh(m);
}

static uint64_t next_deadline(const struct lb_emu_module *m)
{
	if (!m->present || m->resetl)
		return UINT64_MAX;
	if (m->resetting)
		return m->reset_deadline;
	uint64_t next = UINT64_MAX;
	if ((m->msm == EMU_MS_PWRUP || m->msm == EMU_MS_PWRDN) && !m->flat)
		next = m->msm_deadline;
	uint64_t d = emu_dp_next_deadline(m);
	if (d < next)
		next = d;
	d = emu_pages_next_deadline(m);
	if (d < next)
		next = d;
	d = emu_telemetry_next_deadline(m);
	return d < next ? d : next;
}

void emu_module_run(struct lb_emu_module *m, uint64_t now)
{
	if (now < m->t || m->running)
		return; /* a hook or source calling back in runs nothing twice */
	m->running = true;
	if (m->fresh) {
		m->fresh = false;
		/*
		 * Powered up: BankSelect and PageSelect are 0, as the mapping is. An image's bytes
		 * are its capturing host's selection; left in BankSelect, they would act on the next
		 * PageSelect, which a single-bank module's host writes alone (it would read page 00h
		 * where it asked for page 11h).
		 */
		m->mem.lower[126] = m->mem.lower[127] = 0;
		m->cur_page = m->cur_bank = 0;
		emu_module_eval(m);
	}
	/* Fire timers in time order, evaluating at each instant, so every state lasts exactly. */
	for (unsigned guard = 0; guard < 100000; guard++) {
		uint64_t next = next_deadline(m);
		if (next > now)
			break;
		if (next > m->t)
			m->t = next;
		if (m->resetting) {
			if (m->reset_deadline <= m->t) {
				m->resetting = false;
				emu_module_power_on(m);
			}
		} else {
			msm_fire(m);
			emu_pages_run(m); /* page handlers' timers (ApplyDPInit completing, ...) */
			emu_dp_fire(m);
			if (emu_telemetry_next_deadline(m) <= m->t)
				emu_telemetry_sample(m);
		}
		emu_module_eval(m);
	}
	m->t = now;
	/* What the module measures, at the time it has come to. */
	if (m->telem.sample && (!m->telem_sampled || m->telem_t < now))
		emu_telemetry_sample(m);
	m->running = false;
}

uint64_t emu_module_now(const struct lb_emu_module *m)
{
	return m->segment ? m->segment->now_ns : m->world->now_ns;
}

uint64_t emu_module_next_deadline(const struct lb_emu_module *m)
{
	return next_deadline(m);
}

void emu_module_sync(struct lb_emu_module *m)
{
	emu_module_run(m, emu_module_now(m));
}

/* Monitor values survive a reset: they are measurements, not registers. */
static void keep_monitors(struct lb_emu_module *m, uint8_t lower_save[12],
			  uint8_t lane_save[EMU_MAX_BANKS][48], bool restore)
{
	if (restore)
		memcpy(&m->mem.lower[14], lower_save, 12);
	else
		memcpy(lower_save, &m->mem.lower[14], 12);
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++) {
		uint8_t *p = emu_mem_page(&m->mem, b, 0x11);
		if (!p || b >= m->mem.nbanks)
			continue;
		if (restore)
			memcpy(&p[154 - 128], lane_save[b], 48);
		else
			memcpy(lane_save[b], &p[154 - 128], 48);
	}
}

void emu_module_power_on(struct lb_emu_module *m)
{
	uint8_t lower_save[12], lane_save[EMU_MAX_BANKS][48];
	uint8_t eeprom[EMU_PAGE_SIZE];
	uint8_t *p03 = emu_mem_page(&m->mem, 0, 0x03);
	bool had03 = p03 != NULL;
	if (had03)
		memcpy(eeprom, p03, sizeof(eeprom)); /* non-volatile user EEPROM */
	keep_monitors(m, lower_save, lane_save, false);
	if (emu_mem_copy(&m->mem, &m->defaults) != LB_OK)
		return; /* out of memory: keep what there is */
	keep_monitors(m, lower_save, lane_save, true);
	if (had03 && (p03 = emu_mem_page(&m->mem, 0, 0x03)))
		memcpy(p03, eeprom, sizeof(eeprom));

	/* Register power-on defaults (CMIS 5.4: 26.6 = 1, 26.4 = 0; flags clear; DPs deactivated). */
	uint8_t *lo = m->mem.lower;
	lo[26] = 0x40;
	memset(&lo[8], 0, 4);
	lo[126] = lo[127] = 0;
	m->cur_page = m->cur_bank = 0;
	m->addr = 0;
	m->msm = m->flat ? EMU_MS_READY : EMU_MS_LOWPWR;
	lo[3] = (uint8_t)((lo[3] & ~0x0Eu) | ((unsigned)m->msm << 1));
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		uint8_t *p10 = emu_mem_page(&m->mem, b, 0x10);
		uint8_t *p11 = emu_mem_page(&m->mem, b, 0x11);
		if (p10)
			memset(&p10[128 - 128], 0, 15); /* direct controls 128-142 */
		if (p11) {
			memset(&p11[128 - 128], 0x11, 4); /* DPDeactivated */
			memset(&p11[132 - 128], 0, 153 - 132 + 1); /* output status, flags */
			memset(&p11[202 - 128], 0, 4);    /* ConfigStatus */
			p11[235 - 128] = 0;               /* DPInitPending */
		}
	}
	memset(m->lane, 0, sizeof(m->lane));
	emu_pages_power_on(m);
	emu_flags_latch_levels(m);
	emu_module_eval(m);
}

void emu_module_begin_reset(struct lb_emu_module *m)
{
	m->resetting = true;
	m->reset_deadline = m->t + m->timing.reset_ns;
	memset(m->lane, 0, sizeof(m->lane));
	m->reset_requested = false;
}

static void lb_emu_module_set_lpmode_unlocked(struct lb_emu_module *m, int asserted)
{
	if (!m)
		return;
	emu_module_sync(m);
	m->lpmode = asserted != 0;
	emu_module_eval(m);
}

LB_API void lb_emu_module_set_lpmode(struct lb_emu_module *m, int asserted)
{
	if (!m) {
		lb_emu_module_set_lpmode_unlocked(m, asserted);
		return;
	}
	emu_module_lock(m);
	lb_emu_module_set_lpmode_unlocked(m, asserted);
	emu_module_unlock(m);
}

static void lb_emu_module_set_resetl_unlocked(struct lb_emu_module *m, int asserted)
{
	if (!m)
		return;
	emu_module_sync(m);
	bool was = m->resetl;
	m->resetl = asserted != 0;
	if (m->resetl && !was) {
		m->resetting = false; /* held in reset: nothing runs, every access NACKs */
		memset(m->lane, 0, sizeof(m->lane));
	} else if (!m->resetl && was && m->present) {
		emu_module_begin_reset(m);
	}
	emu_pins_changed(m);
}

LB_API void lb_emu_module_set_resetl(struct lb_emu_module *m, int asserted)
{
	if (!m) {
		lb_emu_module_set_resetl_unlocked(m, asserted);
		return;
	}
	emu_module_lock(m);
	lb_emu_module_set_resetl_unlocked(m, asserted);
	emu_module_unlock(m);
}

static int lb_emu_module_state_unlocked(const struct lb_emu_module *m)
{
	if (!m || !m->present || m->resetl || m->resetting)
		return 0;
	return m->msm;
}

LB_API int lb_emu_module_state(const struct lb_emu_module *m)
{
	if (!m)
		return lb_emu_module_state_unlocked(m);
	emu_module_lock((struct lb_emu_module *)m);
	int rc = lb_emu_module_state_unlocked(m);
	emu_module_unlock((struct lb_emu_module *)m);
	return rc;
}

static void lb_emu_module_remove_unlocked(struct lb_emu_module *m)
{
	if (!m)
		return;
	emu_module_sync(m);
	m->present = false;
	m->resetting = false;
	memset(m->lane, 0, sizeof(m->lane));
	emu_pins_changed(m);
}

LB_API void lb_emu_module_remove(struct lb_emu_module *m)
{
	if (!m) {
		lb_emu_module_remove_unlocked(m);
		return;
	}
	emu_module_lock(m);
	lb_emu_module_remove_unlocked(m);
	emu_module_unlock(m);
}

static void lb_emu_module_insert_unlocked(struct lb_emu_module *m)
{
	if (!m || m->present)
		return;
	emu_module_sync(m);
	m->present = true;
	m->nack_count = m->short_count = 0;
	m->stuck_busy = false;
	if (!m->resetl)
		emu_module_begin_reset(m); /* power-on: management init, then defaults */
	emu_pins_changed(m);
}

LB_API void lb_emu_module_insert(struct lb_emu_module *m)
{
	if (!m) {
		lb_emu_module_insert_unlocked(m);
		return;
	}
	emu_module_lock(m);
	lb_emu_module_insert_unlocked(m);
	emu_module_unlock(m);
}
