/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bus: an emulated module (one of the tree's profiles, chosen by byte 0) whose memory is
 * overwritten with fuzz bytes, including the advertisement the access layer trusts (lower
 * bytes 0-2, 01h:142/155/163/164/251), plus fuzz-scheduled faults (NACK, short reads, stuck
 * busy, module fault, hot removal and insertion) between the module calls: the decoders,
 * lb_module_bring_up and lb_module_set_low_power. The advertised durations are kept to codes
 * 0-7 (at most 5 s each), so every wait has a small virtual-time bound; nothing may hang
 * (libFuzzer's -timeout catches a real-time hang) and virtual time must stay bounded.
 *
 * Input: [profile][mask lo][mask hi][11 advertisement bytes, bit i of mask: poke byte i]
 * then records [op a b c]:
 *   op & 7 = 0..3  poke c at (bank op >> 6, page a, offset b) (b < 128: lower memory)
 *   op & 7 = 4     poke 8 bytes from the input at (page a, offset b & 0xF8)
 *   op & 7 = 5     NACK the next c & 7 transactions, before call a % N_STEPS
 *   op & 7 = 6     short-read the next c & 7 reads, before call a % N_STEPS
 *   op & 7 = 7     before call a % N_STEPS: c % 5 = 0 stuck busy on, 1 off, 2 module fault,
 *                  3 hot removal, 4 insertion
 */
#include <string.h>
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_STEPS 8
#define MAX_EVENTS 32

static const char *const profiles[] = {
	LB_SOURCE_DIR "/emulator/profiles/400g-fr4-qsfpdd.json",
	LB_SOURCE_DIR "/emulator/profiles/800g-dr8-osfp.json",
	LB_SOURCE_DIR "/emulator/profiles/coherent-800g-qsfpdd.json",
	LB_SOURCE_DIR "/emulator/profiles/1600g-2xdr8-osfpxd.json",
};

/* Where the advertisement bytes go: page (-1 lower) and offset. */
static const struct { int page; uint8_t off; } adv_bytes[11] = {
	{ -1, 0 }, { -1, 1 }, { -1, 2 }, { 1, 142 }, { 1, 155 }, { 1, 163 }, { 1, 164 },
	{ 1, 251 }, { 1, 174 }, { 1, 175 }, { -1, 85 },
};

struct event {
	uint8_t step, kind, count;
};

static void poke(struct lb_emu_module *em, uint8_t bank, int page, uint8_t off, const uint8_t *b,
		 size_t n)
{
	(void)lb_emu_module_poke(em, bank, page < 0 || off < 128 ? 0 : (uint8_t)page, off, b, n);
}

static void fire(struct lb_emu_module *em, const struct event *e)
{
	switch (e->kind) {
	case 5: (void)lb_emu_module_inject(em, LB_EMU_FAULT_NACK, e->count & 7u); break;
	case 6: (void)lb_emu_module_inject(em, LB_EMU_FAULT_SHORT, e->count & 7u); break;
	default:
		switch (e->count % 5) {
		case 0: (void)lb_emu_module_inject(em, LB_EMU_FAULT_STUCK_BUSY, 1); break;
		case 1: (void)lb_emu_module_inject(em, LB_EMU_FAULT_STUCK_BUSY, 0); break;
		case 2: (void)lb_emu_module_inject(em, LB_EMU_FAULT_MODULE_FAULT, e->count); break;
		case 3: lb_emu_module_remove(em); break;
		default: lb_emu_module_insert(em); break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 14)
		return -1;
	struct lb_emu_world *w;
	if (lb_emu_world_create(&w))
		abort();
	struct lb_emu_module *em;
	char err[256];
	if (lb_emu_module_create(w, profiles[data[0] & 3], &em, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	unsigned mask = data[1] | (unsigned)data[2] << 8;
	for (unsigned i = 0; i < 11; i++)
		if (mask & (1u << i))
			poke(em, 0, adv_bytes[i].page, adv_bytes[i].off, &data[3 + i], 1);
	struct event ev[MAX_EVENTS];
	unsigned n_ev = 0;
	size_t at = 14;
	while (at + 4 <= size) {
		uint8_t op = data[at], a = data[at + 1], b = data[at + 2], c = data[at + 3];
		at += 4;
		unsigned kind = op & 7u;
		if (kind < 4) {
			poke(em, (uint8_t)(op >> 6), a, b, &c, 1);
		} else if (kind == 4) {
			uint8_t buf[8] = { 0 };
			size_t n = size - at < 8 ? size - at : 8;
			memcpy(buf, data + at, n);
			at += n;
			poke(em, 0, a, (uint8_t)(b & 0xF8), buf, 8);
		} else if (n_ev < MAX_EVENTS) {
			ev[n_ev++] = (struct event){ .step = (uint8_t)(a % N_STEPS), .kind = (uint8_t)kind,
						     .count = c };
		}
	}
	/* Advertised durations: codes 0-7 only, so each wait is bounded by seconds. */
	static const uint8_t dur_off[3] = { 144, 167, 168 };
	for (unsigned i = 0; i < 3; i++) {
		uint8_t v;
		if (lb_emu_module_peek(em, 0, 1, dur_off[i], &v, 1) == LB_OK) {
			v &= 0x77;
			poke(em, 0, 1, dur_off[i], &v, 1);
		}
	}

	struct fuzz_rig r;
	fuzz_rig_up(&r, w, em);
	uint64_t t0 = lb_emu_world_now_ns(w);
	for (unsigned step = 0; step < N_STEPS; step++) {
		for (unsigned i = 0; i < n_ev; i++)
			if (ev[i].step == step)
				fire(em, &ev[i]);
		int rc = LB_OK;
		switch (step) {
		case 0: {
			struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
			rc = lb_module_get_identity(r.m, &id);
			break;
		}
		case 1: {
			struct lb_app_list apps;
			rc = lb_module_get_apps(r.m, &apps);
			break;
		}
		case 2: {
			struct lb_lane_status ls = LB_LANE_STATUS_INIT;
			rc = lb_module_get_lane_status(r.m, &ls);
			break;
		}
		case 3:
			fuzz_module_decoders(r.m);
			break;
		case 4: {
			struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
			uint64_t s = lb_emu_world_now_ns(w);
			rc = lb_module_bring_up(r.m, 0, 0, &rep);
			uint64_t took = lb_emu_world_now_ns(w) - s;
			/* Bounded by the deadline it reports, plus the bus time of a last poll or two. */
			if (rep.deadline_ns && took > rep.deadline_ns + 200000000ull) {
				fprintf(stderr, "bring_up took %llu ns, deadline %llu ns (rc %d)\n",
					(unsigned long long)took, (unsigned long long)rep.deadline_ns, rc);
				abort();
			}
			break;
		}
		case 5: {
			struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
			rc = lb_module_get_monitors(r.m, &mon);
			break;
		}
		case 6:
			rc = lb_module_set_low_power(r.m, true);
			break;
		default:
			lb_module_invalidate(r.m);
			fuzz_module_decoders(r.m);
			break;
		}
		if (rc > 0)
			abort();
	}
	/* Waits are bounded by advertised durations of at most 5 s: minutes mean a runaway wait. */
	if (lb_emu_world_now_ns(w) - t0 > 600ull * 1000000000ull) {
		fprintf(stderr, "virtual time ran %llu s\n",
			(unsigned long long)((lb_emu_world_now_ns(w) - t0) / 1000000000ull));
		abort();
	}
	fuzz_rig_down(&r);
	lb_emu_world_destroy(w);
	return 0;
}
