/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's MACsec: the register block of every port (emu_asic_regs.h, MACsec) and
 * the frame model. The frames a port sends (the traffic model's, traffic.c) go out on the
 * transmit SA in use, each with the next PN; the far end is a mirror of the port (same SecY
 * and SAs), so the same frames come back and the receive SC validates them: an AN with no SA
 * installed is not-using-SA, a key (tag) that differs is not-valid (integrity only) or invalid
 * (encrypted), a PN below the replay window is late, the rest are OK. A transmit SA that used
 * its last PN sends nothing more (out_pkts_sa_not_in_use). No key is kept: see macsec_tag.c.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <lightbridge/status.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/asic/emu_macsec.h"

#define NO_AN 0xFFu

int emu_macsec_create(struct lb_emu_asic *a)
{
	a->macsec = calloc(a->prof->max_ports, sizeof(*a->macsec));
	if (!a->macsec)
		return LB_E_NOMEM;
	for (uint32_t i = 0; i < a->prof->max_ports; i++)
		a->macsec[i].tx_an = NO_AN;
	if (getrandom(a->macsec_secret, sizeof(a->macsec_secret), 0) != (ssize_t)sizeof(a->macsec_secret)) {
		/* no entropy: the tags stay keyed by something no file holds */
		uint64_t t = (uint64_t)(uintptr_t)a ^ (uint64_t)(uintptr_t)a->macsec;
		memcpy(a->macsec_secret, &t, sizeof(t));
	}
	return LB_OK;
}

void emu_macsec_destroy(struct lb_emu_asic *a)
{
	if (a->macsec) {
		explicit_bzero(a->macsec, a->prof->max_ports * sizeof(*a->macsec));
		free(a->macsec);
		a->macsec = NULL;
	}
	explicit_bzero(a->macsec_secret, sizeof(a->macsec_secret));
}

void emu_macsec_port_removed(struct lb_emu_asic *a, uint32_t port)
{
	struct emu_macsec_port *m = &a->macsec[port];
	explicit_bzero(m, sizeof(*m));
	m->tx_an = NO_AN;
}

static bool is_xpn(uint32_t cipher)
{
	return cipher == 2 || cipher == 3;
}

static uint64_t pn_max(uint32_t cipher)
{
	return is_xpn(cipher) ? UINT64_MAX : 0xFFFFFFFFull;
}

static uint32_t key_len(uint32_t cipher)
{
	return cipher == 1 || cipher == 3 ? 32 : 16;
}

/* PNs left on a transmit SA: next_pn .. the last. */
static uint64_t pn_left(const struct emu_macsec_port *m, const struct emu_macsec_sa *s)
{
	uint64_t max = pn_max(m->live.cipher);
	if (s->exhausted || !s->next_pn || s->next_pn > max)
		return 0;
	return max - s->next_pn + 1 == 0 ? UINT64_MAX : max - s->next_pn + 1;
}

void emu_macsec_frames(struct lb_emu_asic *a, uint32_t port, uint64_t n, uint32_t frame_bytes)
{
	struct emu_macsec_port *m = &a->macsec[port];
	if (!n || !m->live_set || !(m->live.ctrl & 1u))
		return;
	if (!m->sci[0] || m->tx_an == NO_AN) {
		m->sc_cnt[0][LB_EMU_ASIC_M_SC_C_SA_NOT_IN_USE] += n;
		return;
	}
	struct emu_macsec_sa *tx = &m->sa[0][m->tx_an];
	uint64_t left = pn_left(m, tx), sent = n < left ? n : left;
	m->sc_cnt[0][LB_EMU_ASIC_M_SC_C_SA_NOT_IN_USE] += n - sent;
	if (!sent)
		return;
	uint64_t first = tx->next_pn, octets = sent * frame_bytes;
	bool enc = m->live.ctrl & 4u;
	tx->exhausted = sent == left;
	tx->next_pn = tx->exhausted ? pn_max(m->live.cipher) : first + sent; /* the last PN was used */
	/* the confidentiality offset's octets go protected but in clear (802.1AE's OutOctets*) */
	uint64_t clear = enc ? sent * (m->live.conf_offset < frame_bytes ? m->live.conf_offset : frame_bytes)
			     : octets;
	tx->cnt[enc ? LB_EMU_ASIC_M_SA_C_OUT_ENCRYPTED : LB_EMU_ASIC_M_SA_C_OUT_PROTECTED] += sent;
	tx->cnt[LB_EMU_ASIC_M_SA_C_OUT_OCT_ENCRYPTED] += octets - clear;
	tx->cnt[LB_EMU_ASIC_M_SA_C_OUT_OCT_PROTECTED] += clear;
	/* the mirror: the same frames, AN and PNs come back */
	if (!m->sci[1])
		return; /* no receive SC: the frames are not for us (not counted by MACsec) */
	struct emu_macsec_sa *rx = &m->sa[1][m->tx_an];
	if (!rx->installed) {
		m->sc_cnt[1][LB_EMU_ASIC_M_SC_C_NOT_USING_SA] += sent;
		return;
	}
	if (rx->tag[0] != tx->tag[0] || rx->tag[1] != tx->tag[1]) {
		rx->cnt[enc ? LB_EMU_ASIC_M_SA_C_IN_INVALID : LB_EMU_ASIC_M_SA_C_IN_NOT_VALID] += sent;
		return;
	}
	/* replay: a PN below next_pn - window is late (0 window with protection: strict order) */
	uint64_t late = 0;
	if (m->live.ctrl & 2u) {
		uint64_t lowest = rx->next_pn > m->live.window ? rx->next_pn - m->live.window : 0;
		if (first < lowest)
			late = lowest - first < sent ? lowest - first : sent;
	}
	uint64_t ok = sent - late;
	rx->cnt[LB_EMU_ASIC_M_SA_C_IN_LATE] += late;
	rx->cnt[LB_EMU_ASIC_M_SA_C_IN_OK] += ok;
	uint64_t ok_clear = sent ? clear / sent * ok : 0;
	rx->cnt[LB_EMU_ASIC_M_SA_C_IN_OCT_VALIDATED] += ok_clear;
	rx->cnt[LB_EMU_ASIC_M_SA_C_IN_OCT_DECRYPTED] += ok * frame_bytes - ok_clear;
	if (ok && first + sent - 1 >= rx->next_pn)
		rx->next_pn = first + sent - 1 == UINT64_MAX ? UINT64_MAX : first + sent;
}

/* ---- registers ---- */

static bool macsec_of(const struct lb_emu_asic *a, uint32_t addr, uint32_t *port, uint32_t *off)
{
	if (addr < LB_EMU_ASIC_MACSEC_BASE)
		return false;
	uint32_t p = (addr - LB_EMU_ASIC_MACSEC_BASE) / LB_EMU_ASIC_MACSEC_STRIDE;
	if (p >= a->prof->max_ports)
		return false;
	*port = p;
	*off = (addr - LB_EMU_ASIC_MACSEC_BASE) % LB_EMU_ASIC_MACSEC_STRIDE;
	return true;
}

static uint32_t half(uint64_t v, uint32_t off)
{
	return off & 4u ? (uint32_t)(v >> 32) : (uint32_t)v;
}

static void set_half(uint64_t *v, uint32_t off, uint32_t w)
{
	if (off & 4u)
		*v = (*v & 0xFFFFFFFFull) | (uint64_t)w << 32;
	else
		*v = (*v & ~0xFFFFFFFFull) | w;
}

static uint32_t read_secy(const struct emu_macsec_secy *s, uint32_t off)
{
	switch (off) {
	case LB_EMU_ASIC_M_CTRL: return s->ctrl;
	case LB_EMU_ASIC_M_CIPHER: return s->cipher;
	case LB_EMU_ASIC_M_CONF_OFFSET: return s->conf_offset;
	case LB_EMU_ASIC_M_WINDOW: return s->window;
	case LB_EMU_ASIC_M_SCI:
	case LB_EMU_ASIC_M_SCI + 4: return half(s->sci, off);
	case LB_EMU_ASIC_M_PN_WARN:
	case LB_EMU_ASIC_M_PN_WARN + 4: return half(s->pn_warn, off);
	}
	return 0;
}

static uint32_t sa_state(const struct emu_macsec_port *m, uint32_t dir, uint32_t an)
{
	const struct emu_macsec_sa *s = &m->sa[dir][an];
	if (!s->installed)
		return 0;
	uint32_t st = LB_EMU_ASIC_M_SA_STATE_INSTALLED;
	if (dir == 1 || m->tx_an == an)
		st |= LB_EMU_ASIC_M_SA_STATE_IN_USE;
	if (dir == 0) {
		uint64_t left = pn_left(m, s);
		if (left < m->live.pn_warn)
			st |= LB_EMU_ASIC_M_SA_STATE_WARN;
		if (!left)
			st |= LB_EMU_ASIC_M_SA_STATE_EXHAUSTED;
	}
	return st;
}

static uint32_t read_sa(const struct emu_macsec_port *m, uint32_t off)
{
	uint32_t dir = (off - 0x100u) / 0x200u, an = (off - 0x100u) % 0x200u / 0x80u, o = off % 0x80u;
	const struct emu_macsec_sa *s = &m->sa[dir][an];
	if (o == LB_EMU_ASIC_M_SA_STATE)
		return sa_state(m, dir, an);
	if ((o & ~4u) == LB_EMU_ASIC_M_SA_NEXT_PN)
		return s->installed ? half(s->next_pn, o) : 0;
	if ((o & ~4u) == LB_EMU_ASIC_M_SA_PN_LEFT)
		return s->installed && dir == 0 ? half(pn_left(m, s), o) : 0;
	if (o >= LB_EMU_ASIC_M_SA_CNT(0) && o < LB_EMU_ASIC_M_SA_CNT(LB_EMU_ASIC_M_SA_COUNTERS))
		return half(s->latch[(o - LB_EMU_ASIC_M_SA_CNT(0)) / 8], o);
	return 0;
}

int emu_macsec_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	uint32_t port, off;
	if (!macsec_of(a, addr, &port, &off))
		return LB_E_RANGE;
	const struct emu_macsec_port *m = &a->macsec[port];
	if (off < LB_EMU_ASIC_M_SC_SCI)
		*v = read_secy(&m->staged, off);
	else if (off >= LB_EMU_ASIC_M_LIVE_CTRL && off < LB_EMU_ASIC_M_TX_SCI)
		*v = read_secy(&m->live, off - LB_EMU_ASIC_M_LIVE_CTRL);
	else if (off >= 0x100u && off < LB_EMU_ASIC_M_SA(2, 0, 0))
		*v = read_sa(m, off);
	else if (off >= LB_EMU_ASIC_M_SC_CNT(0, 0) && off < LB_EMU_ASIC_M_SC_CNT(2, 0))
		*v = half(m->sc_latch[(off - 0xC0u) / 0x20u][(off - 0xC0u) % 0x20u / 8u % 2u], off);
	else {
		switch (off & ~4u) {
		case LB_EMU_ASIC_M_SC_SCI: *v = half(m->sc_sci, off); break;
		case LB_EMU_ASIC_M_SA_PN: *v = half(m->sa_pn, off); break;
		case LB_EMU_ASIC_M_TX_SCI: *v = half(m->sci[0], off); break;
		case LB_EMU_ASIC_M_RX_SCI: *v = half(m->sci[1], off); break;
		default:
			switch (off) {
			case LB_EMU_ASIC_M_SA_SEL: *v = m->sel; break;
			case LB_EMU_ASIC_M_SA_SSCI: *v = m->ssci; break;
			case LB_EMU_ASIC_M_KEY_LEN: *v = m->key_len; break;
			case LB_EMU_ASIC_M_CMD_STATUS: *v = m->cmd_status; break;
			case LB_EMU_ASIC_M_TX_AN: *v = m->tx_an; break;
			default: *v = 0; break; /* key and salt among them: write-only */
			}
		}
	}
	return LB_OK;
}

static uint32_t apply_secy(struct emu_macsec_port *m)
{
	const struct emu_macsec_secy *s = &m->staged;
	if (s->cipher > 3 || (s->ctrl & ~7u) || (s->conf_offset != 0 && s->conf_offset != 30 &&
	    s->conf_offset != 50) || s->window > (1u << 30) || !s->sci)
		return LB_EMU_ASIC_ERR_VALUE;
	bool any = false;
	for (unsigned d = 0; d < 2; d++)
		for (unsigned an = 0; an < 4; an++)
			any |= m->sa[d][an].installed;
	if (m->live_set && any && s->cipher != m->live.cipher)
		return LB_EMU_ASIC_ERR_BUSY;
	if (m->sci[0] && s->sci != m->sci[0])
		return LB_EMU_ASIC_ERR_BUSY;
	m->live = *s;
	m->live_set = true;
	return LB_EMU_ASIC_ERR_OK;
}

static uint32_t install_sa(struct lb_emu_asic *a, struct emu_macsec_port *m, uint32_t dir, uint32_t an)
{
	if (!m->sci[dir])
		return LB_EMU_ASIC_ERR_NOSC;
	struct emu_macsec_sa *s = &m->sa[dir][an];
	if (s->installed)
		return LB_EMU_ASIC_ERR_TAKEN;
	if (m->key_len != key_len(m->live.cipher))
		return LB_EMU_ASIC_ERR_KEY;
	if (!m->sa_pn || m->sa_pn > pn_max(m->live.cipher))
		return LB_EMU_ASIC_ERR_VALUE;
	memset(s, 0, sizeof(*s));
	s->installed = true;
	s->next_pn = m->sa_pn;
	uint8_t no_salt[12] = { 0 };
	bool xpn = is_xpn(m->live.cipher);
	emu_macsec_tag(a->macsec_secret, m->key, m->key_len, xpn ? m->salt : no_salt, xpn ? m->ssci : 0, s->tag);
	if (dir == 0 && m->tx_an == NO_AN)
		m->tx_an = an;
	return LB_EMU_ASIC_ERR_OK;
}

static uint32_t command(struct lb_emu_asic *a, uint32_t port, uint32_t cmd)
{
	struct emu_macsec_port *m = &a->macsec[port];
	uint32_t dir = (m->sel >> 8) & 1u, an = m->sel & 3u;
	if (!a->ports[port].exists)
		return LB_EMU_ASIC_ERR_NOPORT;
	if (cmd == LB_EMU_ASIC_M_CMD_SECY)
		return apply_secy(m);
	if (cmd == LB_EMU_ASIC_M_CMD_LATCH) {
		for (unsigned d = 0; d < 2; d++) {
			for (unsigned i = 0; i < 4; i++)
				memcpy(m->sa[d][i].latch, m->sa[d][i].cnt, sizeof(m->sa[d][i].cnt));
			memcpy(m->sc_latch[d], m->sc_cnt[d], sizeof(m->sc_cnt[d]));
		}
		return LB_EMU_ASIC_ERR_OK;
	}
	if (!m->live_set)
		return LB_EMU_ASIC_ERR_NOSECY;
	switch (cmd) {
	case LB_EMU_ASIC_M_CMD_SC_CREATE:
		if (m->sci[dir])
			return LB_EMU_ASIC_ERR_TAKEN;
		if (!m->sc_sci || (dir == 0 && m->sc_sci != m->live.sci))
			return LB_EMU_ASIC_ERR_VALUE;
		m->sci[dir] = m->sc_sci;
		memset(m->sc_cnt[dir], 0, sizeof(m->sc_cnt[dir]));
		return LB_EMU_ASIC_ERR_OK;
	case LB_EMU_ASIC_M_CMD_SC_REMOVE:
		if (!m->sci[dir])
			return LB_EMU_ASIC_ERR_NOSC;
		for (unsigned i = 0; i < 4; i++)
			if (m->sa[dir][i].installed)
				return LB_EMU_ASIC_ERR_BUSY;
		m->sci[dir] = 0;
		return LB_EMU_ASIC_ERR_OK;
	case LB_EMU_ASIC_M_CMD_SA_INSTALL:
		return install_sa(a, m, dir, an);
	case LB_EMU_ASIC_M_CMD_SA_RETIRE:
		if (!m->sa[dir][an].installed)
			return LB_EMU_ASIC_ERR_NOSA;
		explicit_bzero(&m->sa[dir][an], sizeof(m->sa[dir][an]));
		if (dir == 0 && m->tx_an == an)
			m->tx_an = NO_AN;
		return LB_EMU_ASIC_ERR_OK;
	case LB_EMU_ASIC_M_CMD_TX_SWITCH:
		if (dir != 0 || !m->sa[0][an].installed)
			return LB_EMU_ASIC_ERR_NOSA;
		m->tx_an = an;
		return LB_EMU_ASIC_ERR_OK;
	}
	return LB_EMU_ASIC_ERR_COMMAND;
}

int emu_macsec_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	uint32_t port, off;
	if (!macsec_of(a, addr, &port, &off))
		return LB_E_RANGE;
	struct emu_macsec_port *m = &a->macsec[port];
	struct emu_macsec_secy *s = &m->staged;
	if (off >= LB_EMU_ASIC_M_KEY(0) && off < LB_EMU_ASIC_M_KEY(8)) {
		uint32_t i = (off - LB_EMU_ASIC_M_KEY(0)) / 4;
		for (unsigned b = 0; b < 4; b++)
			m->key[4 * i + b] = (uint8_t)(v >> (8 * b));
		return LB_OK;
	}
	if (off >= LB_EMU_ASIC_M_SA_SALT(0) && off < LB_EMU_ASIC_M_SA_SALT(3)) {
		uint32_t i = (off - LB_EMU_ASIC_M_SA_SALT(0)) / 4;
		for (unsigned b = 0; b < 4; b++)
			m->salt[4 * i + b] = (uint8_t)(v >> (8 * b));
		return LB_OK;
	}
	switch (off) {
	case LB_EMU_ASIC_M_CTRL: s->ctrl = v; break;
	case LB_EMU_ASIC_M_CIPHER: s->cipher = v; break;
	case LB_EMU_ASIC_M_CONF_OFFSET: s->conf_offset = v; break;
	case LB_EMU_ASIC_M_WINDOW: s->window = v; break;
	case LB_EMU_ASIC_M_SCI:
	case LB_EMU_ASIC_M_SCI + 4: set_half(&s->sci, off, v); break;
	case LB_EMU_ASIC_M_PN_WARN:
	case LB_EMU_ASIC_M_PN_WARN + 4: set_half(&s->pn_warn, off, v); break;
	case LB_EMU_ASIC_M_SC_SCI:
	case LB_EMU_ASIC_M_SC_SCI + 4: set_half(&m->sc_sci, off, v); break;
	case LB_EMU_ASIC_M_SA_PN:
	case LB_EMU_ASIC_M_SA_PN + 4: set_half(&m->sa_pn, off, v); break;
	case LB_EMU_ASIC_M_SA_SEL: m->sel = v & 0x103u; break;
	case LB_EMU_ASIC_M_SA_SSCI: m->ssci = v; break;
	case LB_EMU_ASIC_M_KEY_LEN: m->key_len = v; break;
	case LB_EMU_ASIC_M_COMMAND:
		m->cmd_status = command(a, port, v);
		explicit_bzero(m->key, sizeof(m->key));
		explicit_bzero(m->salt, sizeof(m->salt));
		m->key_len = 0;
		break;
	default: break; /* read-only */
	}
	return LB_OK;
}
