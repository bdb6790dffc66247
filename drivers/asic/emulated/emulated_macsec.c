/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC driver's MACsec ops (lightbridge/driver.h) over the chip's MACsec block
 * (emu_asic_regs.h, docs/macsec.md). A key passes through one stack word at a time on its way
 * to the write-only key registers; the word and the key length are zeroised after. No detail
 * here names a key or a salt. MACsec is not kept in the state file (emulated_state.c): a new
 * process finds the SecYs unset, as after a reboot (docs/macsec.md says why).
 */
#include <string.h>
#include <lightbridge/asic.h>
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>
#include <lightbridge/emu_asic_regs.h>
#include <lightbridge/macsec.h>
#include "emulated_asic.h"

#define REG(port, off) LB_EMU_ASIC_MACSEC_REG(port, off)

static int command(struct emu_asic_drv *d, uint32_t port, uint32_t cmd)
{
	uint32_t err;
	int rc;
	if ((rc = emu_drv_command(d, REG(port, LB_EMU_ASIC_M_COMMAND), cmd, &err)))
		return rc;
	const char *why;
	switch (err) {
	case LB_EMU_ASIC_ERR_OK: return LB_OK;
	case LB_EMU_ASIC_ERR_NOPORT: rc = LB_E_NOTFOUND; why = "no such port"; break;
	case LB_EMU_ASIC_ERR_NOSECY: rc = LB_E_NOTFOUND; why = "no SecY"; break;
	case LB_EMU_ASIC_ERR_NOSC: rc = LB_E_NOTFOUND; why = "no such SC"; break;
	case LB_EMU_ASIC_ERR_NOSA: rc = LB_E_NOTFOUND; why = "no such SA"; break;
	case LB_EMU_ASIC_ERR_TAKEN: rc = LB_E_EXISTS; why = "exists already"; break;
	case LB_EMU_ASIC_ERR_BUSY: rc = LB_E_BUSY; why = "in use"; break;
	case LB_EMU_ASIC_ERR_KEY: rc = LB_E_INVAL; why = "key length refused"; break;
	case LB_EMU_ASIC_ERR_VALUE: rc = LB_E_RANGE; why = "a value out of range"; break;
	default: rc = LB_E_REJECTED; why = "command refused"; break;
	}
	return lb_driver_error(d->env, rc, "asic port %u: macsec: the chip refused it: %s (command "
			       "status %u)", port, why, err);
}

static int select_sa(struct emu_asic_drv *d, uint32_t port, int dir, uint32_t an)
{
	return emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_SA_SEL), (an & 3u) | (dir ? 0x100u : 0u));
}

int emu_asic_macsec_secy_apply(void *priv, uint32_t port, const struct lb_macsec_secy_config *c)
{
	struct emu_asic_drv *d = priv;
	uint32_t ctrl = (c->enable ? 1u : 0u) | (c->replay_protect ? 2u : 0u) | (c->encrypt ? 4u : 0u);
	int rc;
	if ((rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_CTRL), ctrl)) ||
	    (rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_CIPHER), (uint32_t)c->cipher)) ||
	    (rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_CONF_OFFSET), c->conf_offset)) ||
	    (rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_WINDOW), c->replay_window)) ||
	    (rc = emu_drv_wr64(d, REG(port, LB_EMU_ASIC_M_SCI), c->sci)) ||
	    (rc = emu_drv_wr64(d, REG(port, LB_EMU_ASIC_M_PN_WARN), c->pn_warn_threshold)))
		return rc;
	return command(d, port, LB_EMU_ASIC_M_CMD_SECY);
}

int emu_asic_macsec_sc_apply(void *priv, uint32_t port, int dir, uint64_t sci, int create)
{
	struct emu_asic_drv *d = priv;
	int rc;
	if ((rc = select_sa(d, port, dir, 0)) || (create && (rc = emu_drv_wr64(d, REG(port, LB_EMU_ASIC_M_SC_SCI), sci))))
		return rc;
	return command(d, port, create ? LB_EMU_ASIC_M_CMD_SC_CREATE : LB_EMU_ASIC_M_CMD_SC_REMOVE);
}

/* Bytes to a little-endian register word, as the chip takes them. */
static uint32_t word(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int emu_asic_macsec_sa_install(void *priv, uint32_t port, int dir, const struct lb_macsec_sa_config *c,
			  const struct lb_macsec_key *key)
{
	struct emu_asic_drv *d = priv;
	int rc;
	if ((rc = select_sa(d, port, dir, c->an)) || (rc = emu_drv_wr64(d, REG(port, LB_EMU_ASIC_M_SA_PN), c->pn)) ||
	    (rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_SA_SSCI), c->ssci)))
		return rc;
	uint32_t w = 0;
	for (uint32_t i = 0; i < 3 && !rc; i++) {
		w = word(c->salt + 4 * i);
		rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_SA_SALT(i)), w);
	}
	if (!rc)
		rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_KEY_LEN), (uint32_t)key->len);
	for (uint32_t i = 0; i < 8 && !rc; i++) {
		w = i * 4 < key->len ? word(key->bytes + 4 * i) : 0;
		rc = emu_drv_wr(d, REG(port, LB_EMU_ASIC_M_KEY(i)), w);
	}
	explicit_bzero(&w, sizeof(w));
	/* the command erases the staged key whatever its result; so does a failed write here */
	int cmd = command(d, port, LB_EMU_ASIC_M_CMD_SA_INSTALL);
	return rc ? rc : cmd;
}

int emu_asic_macsec_sa_retire(void *priv, uint32_t port, int dir, uint32_t an)
{
	struct emu_asic_drv *d = priv;
	int rc = select_sa(d, port, dir, an);
	return rc ? rc : command(d, port, LB_EMU_ASIC_M_CMD_SA_RETIRE);
}

int emu_asic_macsec_tx_activate(void *priv, uint32_t port, uint32_t an)
{
	struct emu_asic_drv *d = priv;
	int rc = select_sa(d, port, 0, an);
	return rc ? rc : command(d, port, LB_EMU_ASIC_M_CMD_TX_SWITCH);
}

static int read_sa(struct emu_asic_drv *d, uint32_t port, int dir, uint32_t an, struct lb_macsec_sa_status *st,
		   struct lb_macsec_counters *c)
{
	uint32_t sd = dir ? 1u : 0u;
	int rc;
	if (st) {
		uint32_t state;
		if ((rc = emu_drv_rd(d, REG(port, LB_EMU_ASIC_M_SA(sd, an, LB_EMU_ASIC_M_SA_STATE)), &state)) ||
		    (rc = emu_drv_rd64(d, REG(port, LB_EMU_ASIC_M_SA(sd, an, LB_EMU_ASIC_M_SA_NEXT_PN)), &st->next_pn)) ||
		    (rc = emu_drv_rd64(d, REG(port, LB_EMU_ASIC_M_SA(sd, an, LB_EMU_ASIC_M_SA_PN_LEFT)), &st->pn_left)))
			return rc;
		st->installed = !!(state & LB_EMU_ASIC_M_SA_STATE_INSTALLED);
		st->in_use = !!(state & LB_EMU_ASIC_M_SA_STATE_IN_USE);
		st->pn_warning = !!(state & LB_EMU_ASIC_M_SA_STATE_WARN);
		st->pn_exhausted = !!(state & LB_EMU_ASIC_M_SA_STATE_EXHAUSTED);
	}
	if (!c)
		return LB_OK;
	uint64_t v[LB_EMU_ASIC_M_SA_COUNTERS];
	for (uint32_t i = 0; i < LB_EMU_ASIC_M_SA_COUNTERS; i++)
		if ((rc = emu_drv_rd64(d, REG(port, LB_EMU_ASIC_M_SA(sd, an, LB_EMU_ASIC_M_SA_CNT(i))), &v[i])))
			return rc;
	c->out_pkts_protected = v[LB_EMU_ASIC_M_SA_C_OUT_PROTECTED];
	c->out_pkts_encrypted = v[LB_EMU_ASIC_M_SA_C_OUT_ENCRYPTED];
	c->out_octets_protected = v[LB_EMU_ASIC_M_SA_C_OUT_OCT_PROTECTED];
	c->out_octets_encrypted = v[LB_EMU_ASIC_M_SA_C_OUT_OCT_ENCRYPTED];
	c->in_pkts_ok = v[LB_EMU_ASIC_M_SA_C_IN_OK];
	c->in_octets_validated = v[LB_EMU_ASIC_M_SA_C_IN_OCT_VALIDATED];
	c->in_octets_decrypted = v[LB_EMU_ASIC_M_SA_C_IN_OCT_DECRYPTED];
	c->in_pkts_late = v[LB_EMU_ASIC_M_SA_C_IN_LATE];
	c->in_pkts_invalid = v[LB_EMU_ASIC_M_SA_C_IN_INVALID];
	c->in_pkts_not_valid = v[LB_EMU_ASIC_M_SA_C_IN_NOT_VALID];
	return LB_OK;
}

int emu_asic_macsec_read(void *priv, uint32_t port, int dir, uint32_t an, struct lb_macsec_sa_status *st,
		    struct lb_macsec_counters *c)
{
	struct emu_asic_drv *d = priv;
	/* one latch, then the reads: the counters of one instant */
	int rc = c ? command(d, port, LB_EMU_ASIC_M_CMD_LATCH) : LB_OK;
	if (rc)
		return rc;
	if (an != LB_MACSEC_AN_SC)
		return read_sa(d, port, dir, an, st, c);
	uint32_t sd = dir ? 1u : 0u;
	uint64_t v0, v1;
	if ((rc = emu_drv_rd64(d, REG(port, LB_EMU_ASIC_M_SC_CNT(sd, 0)), &v0)) ||
	    (rc = emu_drv_rd64(d, REG(port, LB_EMU_ASIC_M_SC_CNT(sd, 1)), &v1)))
		return rc;
	if (c) {
		if (sd)
			c->in_pkts_not_using_sa = v0, c->in_pkts_unused_sa = v1;
		else
			c->out_pkts_sa_not_in_use = v0;
	}
	return LB_OK;
}

int emu_asic_macsec_get(void *priv, uint32_t port, struct lb_macsec_secy_config *cfg, uint64_t sci[2],
		   uint32_t installed[2], uint32_t *tx_an)
{
	struct emu_asic_drv *d = priv;
	uint32_t ctrl, cipher, off, win;
	int rc;
	uint32_t L = LB_EMU_ASIC_M_LIVE_CTRL;
	if ((rc = emu_drv_rd(d, REG(port, L + LB_EMU_ASIC_M_CTRL), &ctrl)) ||
	    (rc = emu_drv_rd(d, REG(port, L + LB_EMU_ASIC_M_CIPHER), &cipher)) ||
	    (rc = emu_drv_rd(d, REG(port, L + LB_EMU_ASIC_M_CONF_OFFSET), &off)) ||
	    (rc = emu_drv_rd(d, REG(port, L + LB_EMU_ASIC_M_WINDOW), &win)) ||
	    (rc = emu_drv_rd64(d, REG(port, L + LB_EMU_ASIC_M_SCI), &cfg->sci)) ||
	    (rc = emu_drv_rd64(d, REG(port, L + LB_EMU_ASIC_M_PN_WARN), &cfg->pn_warn_threshold)) ||
	    (rc = emu_drv_rd64(d, REG(port, LB_EMU_ASIC_M_TX_SCI), &sci[0])) ||
	    (rc = emu_drv_rd64(d, REG(port, LB_EMU_ASIC_M_RX_SCI), &sci[1])) || (rc = emu_drv_rd(d, REG(port, LB_EMU_ASIC_M_TX_AN), tx_an)))
		return rc;
	cfg->enable = ctrl & 1u;
	cfg->replay_protect = !!(ctrl & 2u);
	cfg->encrypt = !!(ctrl & 4u);
	cfg->cipher = (enum lb_macsec_cipher)(cipher & 3u);
	cfg->conf_offset = off;
	cfg->replay_window = win;
	for (uint32_t dir = 0; dir < 2; dir++) {
		installed[dir] = 0;
		for (uint32_t an = 0; an < 4; an++) {
			uint32_t st;
			if ((rc = emu_drv_rd(d, REG(port, LB_EMU_ASIC_M_SA(dir, an, LB_EMU_ASIC_M_SA_STATE)), &st)))
				return rc;
			if (st & LB_EMU_ASIC_M_SA_STATE_INSTALLED)
				installed[dir] |= 1u << an;
		}
	}
	if (*tx_an > 3)
		*tx_an = LB_MACSEC_AN_SC;
	return LB_OK;
}
