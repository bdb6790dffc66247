/* SPDX-License-Identifier: MIT */
/*
 * Saving and restoring a module's mutable state as JSON text: memory of every page and
 * bank that differs from the module as made, interface position, pins, state machines with
 * their pending timers, injected faults. Format "lightbridge-emu-state/2"; /1, which listed
 * every page, is still read (docs/emulator.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "emulator/cmis/emu_cdb_state.h"
#include "emulator/cmis/emu_module.h"
#include "emulator/cmis/emu_tuning.h"
#include "emulator/i2c/emu_world.h"

#define STATE_FORMAT "lightbridge-emu-state/2"
#define STATE_FORMAT_1 "lightbridge-emu-state/1"

static json_t *hex_of(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char buf[2 * 256 + 1];
	if (n > 256)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = digits[p[i] >> 4];
		buf[2 * i + 1] = digits[p[i] & 0xF];
	}
	buf[2 * n] = '\0';
	return json_string(buf);
}

static int hexdig(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool hex_to(json_t *v, uint8_t *dst, size_t n)
{
	if (!json_is_string(v) || json_string_length(v) != 2 * n)
		return false;
	const char *s = json_string_value(v);
	for (size_t i = 0; i < n; i++) {
		int h = hexdig(s[2 * i]), l = hexdig(s[2 * i + 1]);
		if (h < 0 || l < 0)
			return false;
		dst[i] = (uint8_t)(h << 4 | l);
	}
	return true;
}

static json_t *u64(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static bool get_u64(json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static bool get_bool(json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_boolean(v))
		return false;
	*out = json_is_true(v);
	return true;
}

static bool get_small(json_t *obj, const char *key, unsigned max, unsigned *out)
{
	uint64_t v;
	if (!get_u64(obj, key, &v) || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static int lb_emu_module_save_state_unlocked(const struct lb_emu_module *m, char **json_out)
{
	if (!m || !json_out)
		return LB_E_INVAL;
	*json_out = NULL;
	json_t *root = json_object();
	json_t *pages = json_array();
	json_t *lanes = json_array();
	if (!root || !pages || !lanes) {
		json_decref(root);
		json_decref(pages);
		json_decref(lanes);
		return LB_E_NOMEM;
	}
	json_object_set_new(root, "format", json_string(STATE_FORMAT));
	json_object_set_new(root, "name", json_string(m->name));
	json_object_set_new(root, "t_ns", u64(m->t));
	json_object_set_new(root, "fresh", json_boolean(m->fresh));
	json_object_set_new(root, "lower", hex_of(m->mem.lower, 128));
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
		for (unsigned p = 0; p < 256; p++) {
			const uint8_t *pg = m->mem.page[b][p], *made = m->defaults.page[b][p];
			/* A page as the profile or image made it is left out: the load restores it. */
			if (!pg || (made && memcmp(pg, made, EMU_PAGE_SIZE) == 0))
				continue;
			json_t *o = json_pack("{s:i, s:i}", "bank", (int)b, "page", (int)p);
			if (o)
				json_object_set_new(o, "hex", hex_of(pg, 128));
			json_array_append_new(pages, o);
		}
	json_object_set_new(root, "pages", pages);
	json_object_set_new(root, "iface", json_pack("{s:i, s:i, s:i}", "addr", (int)m->addr,
						      "page", (int)m->cur_page, "bank",
						      (int)m->cur_bank));
	json_object_set_new(root, "pins", json_pack("{s:b, s:b, s:b}", "lpmode", m->lpmode,
						     "resetl", m->resetl, "present", m->present));
	json_t *rst = json_pack("{s:b}", "resetting", m->resetting);
	if (rst)
		json_object_set_new(rst, "deadline_ns", u64(m->reset_deadline));
	json_object_set_new(root, "reset", rst);
	json_t *msm = json_pack("{s:i}", "state", m->msm);
	if (msm)
		json_object_set_new(msm, "deadline_ns", u64(m->msm_deadline));
	json_object_set_new(root, "msm", msm);
	for (unsigned l = 0; l < EMU_MAX_LANES; l++) {
		const struct emu_lane *ln = &m->lane[l];
		json_t *o = json_pack("{s:b, s:i}", "apply_pending", ln->apply_pending,
				      "apply_result", (int)ln->apply_result);
		if (o) {
			json_object_set_new(o, "deadline_ns", u64(ln->deadline));
			json_object_set_new(o, "apply_deadline_ns", u64(ln->apply_deadline));
			json_object_set_new(o, "staged", hex_of(ln->staged, sizeof(ln->staged)));
		}
		json_array_append_new(lanes, o);
	}
	json_object_set_new(root, "lanes", lanes);
	json_object_set_new(root, "tuning", emu_tuning_save(m));
	json_t *fw = emu_cdb_state_save(m);
	if (fw)
		json_object_set_new(root, "fw", fw);
	json_object_set_new(root, "faults",
			    json_pack("{s:i, s:i, s:b}", "nack", (json_int_t)m->nack_count, "short",
				      (json_int_t)m->short_count, "stuck_busy", m->stuck_busy));
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!text)
		return LB_E_NOMEM;
	*json_out = text;
	return LB_OK;
}

LB_API int lb_emu_module_save_state(const struct lb_emu_module *m, char **json_out)
{
	if (!m)
		return lb_emu_module_save_state_unlocked(m, json_out);
	emu_module_lock((struct lb_emu_module *)m);
	int rc = lb_emu_module_save_state_unlocked(m, json_out);
	emu_module_unlock((struct lb_emu_module *)m);
	return rc;
}

/* Everything restored, checked before anything is changed. */
struct saved {
	uint8_t lower[128];
	uint8_t *pg[EMU_MAX_BANKS][256];
	uint64_t t, reset_deadline, msm_deadline;
	bool fresh, lpmode, resetl, present, resetting, stuck;
	unsigned addr, page, bank, msm, nack, shrt;
	struct emu_lane lane[EMU_MAX_LANES];
	struct emu_tuning tuning;
	struct emu_cdb_saved fw;
};

/*
 * Every lane's DP state (page 11h:128-131, a nibble per lane) in the state as loaded is a state,
 * 1-7: a reserved code (0, 8-15) is none a module's machine would have saved. The one exception
 * is a nibble the module was made with (an image carries whatever bytes it has).
 */
static bool dp_states_valid(const struct lb_emu_module *m, const struct saved *s)
{
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++) {
		const uint8_t *made = m->defaults.page[b][0x11];
		const uint8_t *st = s->pg[b][0x11] ? s->pg[b][0x11] : made;
		if (!m->mem.page[b][0x11] || !st)
			continue;
		for (unsigned l = 0; l < 8; l++) {
			uint8_t code = emu_nibble_get(&st[128 - 128], l);
			if (code >= 1 && code <= 7)
				continue;
			if (!made || emu_nibble_get(&made[128 - 128], l) != code)
				return false;
		}
	}
	return true;
}

static int parse_state(const struct lb_emu_module *m, json_t *root, struct saved *s)
{
	json_t *v = json_object_get(root, "format");
	if (!json_is_string(v))
		return LB_E_PARSE;
	bool every_page = strcmp(json_string_value(v), STATE_FORMAT_1) == 0;
	if (!every_page && strcmp(json_string_value(v), STATE_FORMAT))
		return LB_E_PARSE;
	v = json_object_get(root, "name");
	if (!json_is_string(v) || strcmp(json_string_value(v), m->name))
		return LB_E_PARSE; /* state of another profile or image */
	if (!get_u64(root, "t_ns", &s->t) || !get_bool(root, "fresh", &s->fresh) ||
	    !hex_to(json_object_get(root, "lower"), s->lower, 128))
		return LB_E_PARSE;
	json_t *pages = json_object_get(root, "pages");
	if (!json_is_array(pages))
		return LB_E_PARSE;
	size_t i;
	json_t *o;
	unsigned count = 0;
	json_array_foreach(pages, i, o) {
		unsigned b, p;
		if (!get_small(o, "bank", EMU_MAX_BANKS - 1, &b) || !get_small(o, "page", 255, &p))
			return LB_E_PARSE;
		if (!m->mem.page[b][p] || s->pg[b][p])
			return LB_E_PARSE; /* a page this module lacks, or given twice */
		if (!(s->pg[b][p] = malloc(EMU_PAGE_SIZE)))
			return LB_E_NOMEM;
		if (!hex_to(json_object_get(o, "hex"), s->pg[b][p], EMU_PAGE_SIZE))
			return LB_E_PARSE;
		count++;
	}
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
		for (unsigned p = 0; p < 256; p++)
			if (m->mem.page[b][p])
				count--;
	if (every_page && count)
		return LB_E_PARSE; /* a page of the module is missing */
	if (!dp_states_valid(m, s))
		return LB_E_PARSE;
	json_t *iface = json_object_get(root, "iface"), *pins = json_object_get(root, "pins");
	json_t *rst = json_object_get(root, "reset"), *msm = json_object_get(root, "msm");
	json_t *faults = json_object_get(root, "faults"), *lanes = json_object_get(root, "lanes");
	if (!get_small(iface, "addr", 255, &s->addr) || !get_small(iface, "page", 255, &s->page) ||
	    !get_small(iface, "bank", EMU_MAX_BANKS - 1, &s->bank) ||
	    (!m->mem.page[s->bank][s->page] && !(s->page < 0x10 && m->mem.page[0][s->page])) ||
	    !get_bool(pins, "lpmode", &s->lpmode) || !get_bool(pins, "resetl", &s->resetl) ||
	    !get_bool(pins, "present", &s->present) || !get_bool(rst, "resetting", &s->resetting) ||
	    !get_u64(rst, "deadline_ns", &s->reset_deadline) ||
	    !get_small(msm, "state", EMU_MS_FAULT, &s->msm) || s->msm < EMU_MS_LOWPWR ||
	    !get_u64(msm, "deadline_ns", &s->msm_deadline) ||
	    !get_small(faults, "nack", UINT32_MAX, &s->nack) ||
	    !get_small(faults, "short", UINT32_MAX, &s->shrt) ||
	    !get_bool(faults, "stuck_busy", &s->stuck) || !json_is_array(lanes) ||
	    json_array_size(lanes) != EMU_MAX_LANES)
		return LB_E_PARSE;
	/*
	 * The module state is kept twice, by the state machine and in byte 3 (which the machine
	 * writes only when it changes state): both must say the same, as every save has them.
	 * Flat memory modules are ModuleReady.
	 */
	if (m->flat ? s->msm != EMU_MS_READY : ((s->lower[3] >> 1) & 7u) != s->msm)
		return LB_E_PARSE;
	/*
	 * So are the select registers (once the module has run; a fresh one sets them at its
	 * first run): PageSelect is the page mapped, BankSelect the bank of a banked page mapped
	 * and in any case a bank the module has. A stale bank would act on the host's next
	 * PageSelect, which a single-bank module's host writes alone: it would read page 00h.
	 */
	bool bank_known = false;
	for (unsigned p = 0; p < 256 && s->lower[126] < EMU_MAX_BANKS && !bank_known; p++)
		bank_known = m->mem.page[s->lower[126]][p] != NULL;
	if (!s->fresh && (s->lower[127] != s->page || !bank_known ||
			  (emu_page_banked((uint8_t)s->page) && s->lower[126] != s->bank)))
		return LB_E_PARSE;
	json_array_foreach(lanes, i, o) {
		struct emu_lane *ln = &s->lane[i];
		unsigned res;
		if (!get_bool(o, "apply_pending", &ln->apply_pending) ||
		    !get_small(o, "apply_result", 15, &res) || !get_u64(o, "deadline_ns", &ln->deadline) ||
		    !get_u64(o, "apply_deadline_ns", &ln->apply_deadline) ||
		    !hex_to(json_object_get(o, "staged"), ln->staged, sizeof(ln->staged)))
			return LB_E_PARSE;
		ln->apply_result = (uint8_t)res;
	}
	/*
	 * Time: the module's clock never runs ahead of its world's (it would not run again until
	 * the world caught up), and no timer is further ahead of it than the module's longest
	 * duration (every timer is set to t + one of them). Either means a state no module saved.
	 */
	const struct lb_emu_timing *tm = &m->timing;
	const uint64_t durs[] = { tm->module_pwr_up_ns, tm->module_pwr_dn_ns, tm->dp_init_ns,
				  tm->dp_deinit_ns, tm->dp_tx_turn_on_ns, tm->dp_tx_turn_off_ns,
				  tm->apply_ns, tm->reset_ns };
	uint64_t longest = 0;
	for (size_t k = 0; k < sizeof(durs) / sizeof(durs[0]); k++)
		if (durs[k] > longest)
			longest = durs[k];
	uint64_t horizon = s->t + longest < s->t ? UINT64_MAX : s->t + longest;
	if (s->t > emu_module_now(m) || s->reset_deadline > horizon || s->msm_deadline > horizon)
		return LB_E_PARSE;
	for (unsigned l = 0; l < EMU_MAX_LANES; l++)
		if (s->lane[l].deadline > horizon || s->lane[l].apply_deadline > horizon)
			return LB_E_PARSE;
	if (emu_cdb_state_parse(m, json_object_get(root, "fw"), s->t, &s->fw))
		return LB_E_PARSE;
	return emu_tuning_parse(m, json_object_get(root, "tuning"), s->t, &s->tuning);
}

static int lb_emu_module_load_state_unlocked(struct lb_emu_module *m, const char *json)
{
	if (!m || !json)
		return LB_E_INVAL;
	json_error_t jerr;
	json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return LB_E_PARSE;
	struct saved *s = calloc(1, sizeof(*s));
	/* A bus driver may restore a module while other threads run the world (lazy restore). */
	pthread_mutex_lock(&m->world->lock);
	int rc = s ? parse_state(m, root, s) : LB_E_NOMEM;
	json_decref(root);
	if (!rc) {
		emu_cdb_state_restore(m, &s->fw); /* first: the saved memory goes over what it writes */
		memcpy(m->mem.lower, s->lower, 128);
		for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
			for (unsigned p = 0; p < 256; p++) {
				const uint8_t *from = s->pg[b][p] ? s->pg[b][p] : m->defaults.page[b][p];
				if (m->mem.page[b][p] && from)
					memcpy(m->mem.page[b][p], from, EMU_PAGE_SIZE);
			}
		m->t = s->t;
		m->fresh = s->fresh;
		m->addr = (uint8_t)s->addr;
		m->cur_page = (uint8_t)s->page;
		m->cur_bank = (uint8_t)s->bank;
		m->lpmode = s->lpmode;
		m->resetl = s->resetl;
		m->present = s->present;
		m->resetting = s->resetting;
		m->reset_deadline = s->reset_deadline;
		m->msm = (int)s->msm;
		m->msm_deadline = s->msm_deadline;
		memcpy(m->lane, s->lane, sizeof(m->lane));
		m->nack_count = s->nack;
		m->short_count = s->shrt;
		m->stuck_busy = s->stuck;
		m->reset_requested = false;
		m->telem_sampled = false; /* a telemetry source samples at the restored time */
		emu_tuning_restore(m, &s->tuning);
	}
	pthread_mutex_unlock(&m->world->lock);
	if (s) {
		for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
			for (unsigned p = 0; p < 256; p++)
				free(s->pg[b][p]);
		free(s);
	}
	return rc;
}

LB_API int lb_emu_module_load_state(struct lb_emu_module *m, const char *json)
{
	if (!m)
		return lb_emu_module_load_state_unlocked(m, json);
	emu_module_lock(m);
	int rc = lb_emu_module_load_state_unlocked(m, json);
	emu_module_unlock(m);
	return rc;
}
