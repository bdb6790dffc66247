/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's bus: faults armed by a test (lightbridge/emulator.h, lb_emu_asic_fault_arm),
 * the chip-health block at 0xA000 (EPOCH, EPOCH_ACK, CHECK_CTRL) and the write tally that lets
 * a driver see a lost write at the command status it reads anyway (docs/emulated-asic.md,
 * "Faults"). Every register access of lb_emu_asic_read32/write32 passes here, then on to the
 * register file (regs.c). With no fault armed and the check off, an access costs a few tests.
 */
#include "emulator/asic/emu_asic.h"
#include "emulator/i2c/emu_world.h"

#define HEALTH_FIRST LB_EMU_ASIC_REG_EPOCH
#define HEALTH_END (LB_EMU_ASIC_REG_EPOCH + 0x100u)

/* Whether a fault of this kind is due at this access; if so it fires (off the armed list). */
static bool fault_due(struct lb_emu_asic *a, enum lb_emu_asic_fault kind)
{
	struct emu_asic_health *h = &a->health;
	uint64_t now = a->accesses - 1; /* this access's number (counted already) */
	for (unsigned i = 0; i < h->n_armed; i++)
		if (h->armed[i].kind == kind && h->armed[i].at <= now) {
			h->fired[kind]++;
			h->armed[i] = h->armed[--h->n_armed];
			return true;
		}
	return false;
}

/* A reset due before this access: the chip back to power-on, silent until acknowledged. */
static void reset_if_due(struct lb_emu_asic *a)
{
	if (!fault_due(a, LB_EMU_ASIC_FAULT_RESET))
		return;
	struct emu_asic_health *h = &a->health;
	emu_asic_power_on(a);
	h->epoch++;
	if (h->epoch == 0 || h->epoch == 0xFFFFFFFFu)
		h->epoch = 1;
	h->unarmed = true;
	h->tally = 0;
	h->held_status = 0;
}

static int health_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	struct emu_asic_health *h = &a->health;
	switch (addr) {
	case LB_EMU_ASIC_REG_EPOCH: *v = h->epoch; return LB_OK;
	case LB_EMU_ASIC_REG_EPOCH_ACK: *v = h->unarmed ? 0 : h->epoch; return LB_OK;
	case LB_EMU_ASIC_REG_TALLY:
		*v = h->unarmed ? 0xFFFFFFFFu : h->tally;
		if (!h->unarmed)
			h->tally = 0;
		return LB_OK;
	}
	return LB_E_RANGE;
}

static int health_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	struct emu_asic_health *h = &a->health;
	switch (addr) {
	case LB_EMU_ASIC_REG_EPOCH_ACK:
		if (v == h->epoch)
			h->unarmed = false;
		return LB_OK;
	case LB_EMU_ASIC_REG_EPOCH:
	case LB_EMU_ASIC_REG_TALLY: return LB_OK; /* read-only */
	}
	return LB_E_RANGE;
}

/* A checked read (LB_EMU_ASIC_CHECKED): a status or CNT_CTRL with the tally, restarted. */
static int checked_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	struct emu_asic_health *h = &a->health;
	int rc;
	if (emu_asic_is_cnt_ctrl(a, addr)) {
		*v = 0;
		rc = emu_asic_reg_write(a, addr, LB_EMU_ASIC_CNT_LATCH); /* latch on read */
	} else if (addr >= 4 && emu_asic_is_command(a, addr - 4)) {
		rc = LB_OK;
		if (h->held_status && addr == h->held_addr)
			*v = h->held_status;
		else
			rc = emu_asic_reg_read(a, addr, v);
	} else
		return LB_E_RANGE;
	if (rc == LB_OK) {
		*v = LB_EMU_ASIC_STATUS_ERR(*v) | LB_EMU_ASIC_CMD_TALLY(h->tally);
		h->tally = 0;
	}
	return rc;
}

int emu_asic_bus_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	struct emu_asic_health *h = &a->health;
	if (h->n_armed) {
		reset_if_due(a);
		if (fault_due(a, LB_EMU_ASIC_FAULT_READ_TIMEOUT))
			return LB_E_TIMEOUT;
		if (fault_due(a, LB_EMU_ASIC_FAULT_ALL_ONES)) {
			*v = 0xFFFFFFFFu;
			return LB_OK;
		}
	}
	if (addr >= HEALTH_FIRST && addr < HEALTH_END)
		return health_read(a, addr, v);
	if (h->unarmed) {
		*v = 0xFFFFFFFFu;
		return LB_OK;
	}
	if (addr & LB_EMU_ASIC_CHECKED(0))
		return checked_read(a, addr & ~LB_EMU_ASIC_CHECKED(0), v);
	if (h->tally && addr >= 4 && emu_asic_is_command(a, addr - 4))
		h->tally = 0; /* whoever reads a command's status has seen the writes before it */
	if (h->held_status && addr == h->held_addr) {
		*v = h->held_status;
		return LB_OK;
	}
	return emu_asic_reg_read(a, addr, v);
}

/* A COMMAND write: a stuck one holds its status; a counted one runs only when its tally is
 * the chip's. Returns true when the command is to run (its value stripped of the tally). */
static bool command_runs(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	struct emu_asic_health *h = &a->health;
	if (h->n_armed && fault_due(a, LB_EMU_ASIC_FAULT_STUCK)) {
		h->held_addr = addr + 4;
		h->held_status = LB_EMU_ASIC_ERR_PENDING;
		return false;
	}
	if (!(*v & LB_EMU_ASIC_CMD_COUNTED))
		return true;
	uint32_t told = LB_EMU_ASIC_STATUS_TALLY(*v);
	*v &= LB_EMU_ASIC_CMD_COUNTED - 1u;
	if (told != h->tally) {
		h->held_addr = addr + 4;
		h->held_status = LB_EMU_ASIC_ERR_SEQ;
		return false;
	}
	return true;
}

int emu_asic_bus_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	struct emu_asic_health *h = &a->health;
	if (h->n_armed) {
		reset_if_due(a);
		if (fault_due(a, LB_EMU_ASIC_FAULT_WRITE_LOST))
			return LB_OK;
	}
	int rc;
	if (addr >= HEALTH_FIRST && addr < HEALTH_END)
		rc = health_write(a, addr, v);
	else if (h->unarmed)
		return LB_OK; /* dropped, as posted writes to a disabled function are */
	else {
		h->held_status = 0; /* a stuck or refused command's status lasts until the next write */
		rc = LB_OK;
		if (!emu_asic_is_command(a, addr) || command_runs(a, addr, &v))
			rc = emu_asic_reg_write(a, addr, v);
	}
	if (rc == LB_OK)
		h->tally = (h->tally + 1) & 0xFFu;
	return rc;
}

LB_API int lb_emu_asic_fault_arm(struct lb_emu_asic *a, enum lb_emu_asic_fault kind, uint64_t after)
{
	if (!a || (unsigned)kind >= LB_EMU_ASIC_FAULT_KINDS)
		return LB_E_INVAL;
	emu_lock(a->world);
	struct emu_asic_health *h = &a->health;
	int rc = LB_E_BUSY;
	if (h->n_armed < LB_EMU_ASIC_MAX_FAULTS) {
		h->armed[h->n_armed++] = (struct emu_asic_fault){ .kind = kind, .at = a->accesses + after };
		rc = LB_OK;
	}
	emu_unlock(a->world);
	return rc;
}

LB_API void lb_emu_asic_faults_clear(struct lb_emu_asic *a)
{
	if (!a)
		return;
	emu_lock(a->world);
	a->health.n_armed = 0;
	a->health.held_status = 0;
	emu_unlock(a->world);
}

LB_API uint64_t lb_emu_asic_faults_fired(const struct lb_emu_asic *a, enum lb_emu_asic_fault kind)
{
	if (!a || (unsigned)kind >= LB_EMU_ASIC_FAULT_KINDS)
		return 0;
	emu_lock(a->world);
	uint64_t n = a->health.fired[kind];
	emu_unlock(a->world);
	return n;
}

LB_API unsigned lb_emu_asic_faults_armed(const struct lb_emu_asic *a)
{
	if (!a)
		return 0;
	emu_lock(a->world);
	unsigned n = a->health.n_armed;
	emu_unlock(a->world);
	return n;
}
