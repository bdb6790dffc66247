/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC driver's register access, for all its ops: reads and writes with their
 * error details, commands and their status, and the detection of the bus's faults
 * (docs/emulated-asic.md, "Faults"): a read that fails, a read of all ones (the chip fell off
 * the bus, or was reset: EPOCH tells which), a lost write (the chip's write tally, carried by
 * every command status, disagrees with the driver's), a command that never completes.
 * None of it costs an access while the chip answers well.
 */
#include <string.h>
#include <lightbridge/emu_asic_regs.h>
#include "emulated_asic.h"

#define PENDING_READS 4u /* status reads before a command that has not completed is given up */

static int read_failed(struct emu_asic_drv *d, uint32_t addr, int rc)
{
	return lb_driver_error(d->env, rc == LB_E_TIMEOUT ? LB_E_TIMEOUT : LB_E_IO,
			       "emulated asic: read of register 0x%06x: %s", addr, lb_strerror(rc));
}

static int raw_read(struct emu_asic_drv *d, uint32_t addr, uint32_t *v)
{
	int rc = lb_emu_asic_read32(d->asic, addr, v);
	return rc ? read_failed(d, addr, rc) : LB_OK;
}

int emu_drv_wr(struct emu_asic_drv *d, uint32_t addr, uint32_t v)
{
	int rc = lb_emu_asic_write32(d->asic, addr, v);
	if (rc)
		return lb_driver_error(d->env, LB_E_IO, "emulated asic: write of register 0x%06x: %s", addr,
				       lb_strerror(rc));
	d->tally = (d->tally + 1) & 0xFFu;
	return LB_OK;
}

/* Start the write tally even with the chip's (at open, and after a reset). */
static int arm_check(struct emu_asic_drv *d)
{
	uint32_t v;
	int rc = raw_read(d, LB_EMU_ASIC_REG_TALLY, &v);
	d->tally = 0;
	d->checked = rc == LB_OK && v != 0xFFFFFFFFu;
	return rc;
}

int emu_drv_health_open(struct emu_asic_drv *d)
{
	int rc = raw_read(d, LB_EMU_ASIC_REG_EPOCH, &d->epoch);
	if (rc)
		return rc;
	if (d->epoch == 0xFFFFFFFFu)
		return lb_driver_error(d->env, LB_E_NODEV, "emulated asic: the chip does not answer (EPOCH "
				       "reads all ones)");
	uint32_t acked;
	if ((rc = raw_read(d, LB_EMU_ASIC_REG_EPOCH_ACK, &acked)))
		return rc;
	if (acked != d->epoch && (rc = emu_drv_wr(d, LB_EMU_ASIC_REG_EPOCH_ACK, d->epoch)))
		return rc; /* reset before this process came: its power-on state is the state */
	return arm_check(d);
}

/* EPOCH read after a suspicious read: LB_OK when the chip answers with the epoch known, else
 * the error (a reset is acknowledged, and the check armed again, on the way). */
static int chip_alive(struct emu_asic_drv *d, uint32_t addr)
{
	uint32_t epoch;
	int rc = raw_read(d, LB_EMU_ASIC_REG_EPOCH, &epoch);
	if (rc == LB_OK && epoch == 0xFFFFFFFFu) /* once more before the chip is given up */
		rc = raw_read(d, LB_EMU_ASIC_REG_EPOCH, &epoch);
	if (rc)
		return rc;
	if (epoch == 0xFFFFFFFFu)
		return lb_driver_error(d->env, LB_E_IO, "emulated asic: register 0x%06x read all ones and "
				       "so does EPOCH: the chip fell off the bus", addr);
	if (epoch == d->epoch)
		return LB_OK;
	uint32_t was = d->epoch;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_REG_EPOCH_ACK, epoch)))
		return rc;
	d->epoch = epoch;
	if ((rc = arm_check(d)))
		return rc;
	return lb_driver_error(d->env, LB_E_CHANGED, "emulated asic: the chip was reset (epoch %u, was "
			       "%u): its configuration is back to power-on", epoch, was);
}

int emu_drv_rd(struct emu_asic_drv *d, uint32_t addr, uint32_t *v)
{
	int rc = lb_emu_asic_read32(d->asic, addr, v);
	if (rc == LB_OK && *v != 0xFFFFFFFFu)
		return LB_OK; /* the chip answered */
	if (rc)
		return read_failed(d, addr, rc);
	/* all ones: a chip gone, a chip reset, or a register that holds all ones: ask the chip */
	if ((rc = chip_alive(d, addr)))
		return rc;
	return raw_read(d, addr, v); /* the chip answers: what the register holds now */
}

int emu_drv_rd64(struct emu_asic_drv *d, uint32_t addr, uint64_t *v)
{
	uint32_t l, h;
	int rc;
	if ((rc = emu_drv_rd(d, addr, &l)) || (rc = emu_drv_rd(d, addr + 4, &h)))
		return rc;
	*v = (uint64_t)h << 32 | l;
	return LB_OK;
}

int emu_drv_wr64(struct emu_asic_drv *d, uint32_t addr, uint64_t v)
{
	int rc = emu_drv_wr(d, addr, (uint32_t)v);
	return rc ? rc : emu_drv_wr(d, addr + 4, (uint32_t)(v >> 32));
}

/* The chip's tally against the driver's: a difference is a write lost (the driver takes the
 * chip's, so that the next call starts even). */
static int tally_check(struct emu_asic_drv *d, uint32_t chip, uint32_t addr)
{
	uint32_t sent = d->tally;
	d->tally = 0; /* the chip's tally starts again at a checked read */
	if (!d->checked || chip == sent)
		return LB_OK;
	return lb_driver_error(d->env, LB_E_IO, "emulated asic: a write was lost on the way to the chip "
			       "(its tally %u at 0x%06x, %u sent)", chip, addr, sent);
}

int emu_drv_status(struct emu_asic_drv *d, uint32_t addr, uint32_t *err)
{
	uint32_t v;
	int rc;
	for (unsigned n = 1;; n++) {
		if (!d->checked) {
			rc = emu_drv_rd(d, addr, err);
			return rc;
		}
		if ((rc = emu_drv_rd(d, LB_EMU_ASIC_CHECKED(addr), &v)) ||
		    (rc = tally_check(d, LB_EMU_ASIC_STATUS_TALLY(v), addr)))
			return rc;
		if (LB_EMU_ASIC_STATUS_ERR(v) != LB_EMU_ASIC_ERR_PENDING)
			break;
		if (n == PENDING_READS)
			return lb_driver_error(d->env, LB_E_TIMEOUT, "emulated asic: the command before 0x%06x "
					       "has not completed (%u status reads)", addr, n);
	}
	*err = LB_EMU_ASIC_STATUS_ERR(v);
	if (*err == LB_EMU_ASIC_ERR_SEQ)
		return lb_driver_error(d->env, LB_E_IO, "emulated asic: the chip did not run the command at "
				       "0x%06x: a write before it was lost", addr - 4);
	return LB_OK;
}

int emu_drv_command(struct emu_asic_drv *d, uint32_t addr, uint32_t cmd, uint32_t *err)
{
	uint32_t v = cmd | (d->checked ? LB_EMU_ASIC_CMD_COUNTED | LB_EMU_ASIC_CMD_TALLY(d->tally) : 0u);
	int rc = emu_drv_wr(d, addr, v);
	return rc ? rc : emu_drv_status(d, addr + 4, err);
}

int emu_drv_synced(struct emu_asic_drv *d)
{
	uint32_t v;
	if (!d->checked)
		return LB_OK;
	int rc = emu_drv_rd(d, LB_EMU_ASIC_REG_TALLY, &v);
	return rc ? rc : tally_check(d, v, LB_EMU_ASIC_REG_TALLY);
}

int emu_drv_chip_check(void *priv)
{
	struct emu_asic_drv *d = priv;
	return chip_alive(d, LB_EMU_ASIC_REG_EPOCH);
}

void emu_drv_sized_out(void *out, const void *full, size_t full_size)
{
	size_t want;
	memcpy(&want, out, sizeof(want));
	size_t n = want < full_size ? want : full_size;
	memcpy(out, full, n);
	memcpy(out, &n, sizeof(n));
}
