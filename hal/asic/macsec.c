/* SPDX-License-Identifier: MIT */
/*
 * MACsec objects (lightbridge/macsec.h): SecY, SCs and SAs of an ASIC port, validated whole
 * here and handed to the driver's MACsec ops under the switch's lock. No key passes through a
 * buffer of this file: the caller's struct goes to the driver as it is, and no detail formats
 * a key or a salt.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/macsec.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/asic/macsec_internal.h"
#include "hal/core/ctx_internal.h"

static const char *const dir_names[2] = { "tx", "rx" };

static bool has_macsec(const struct lb_switch *sw)
{
	const struct lb_asic_ops *o = sw->ops;
	return o->macsec_secy_apply && o->macsec_sc_apply && o->macsec_sa_install && o->macsec_sa_retire &&
	       o->macsec_tx_sa_activate && o->macsec_read && o->macsec_get;
}

void lb_asic_macsec_port_removed(struct lb_switch *sw, uint32_t port)
{
	if (sw->macsec && port < sw->caps.max_ports)
		memset(&sw->macsec[port], 0, sizeof(sw->macsec[port]));
}

static int driver_failed(struct lb_switch *sw, uint64_t seq, int rc, const char *what, uint32_t port)
{
	lb_asic_view_doubt(sw, rc);
	if (lb_ctx_error_seq() == seq)
		lb_ctx_error(sw->ctx, rc, "asic port %u: macsec %s: asic driver '%s': %s", port, what,
			     sw->drv->name, lb_strerror(rc));
	return rc;
}

/* The port's MACsec state, learned from the chip at its first use. Switch locked. */
int lb_macsec_port(struct lb_switch *sw, uint32_t port, struct lb_macsec_port **out)
{
	int fresh = lb_asic_fresh(sw, false);
	if (fresh)
		return fresh;
	if (!has_macsec(sw))
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic port %u: macsec: asic driver '%s' has no "
				    "MACsec", port, sw->drv->name);
	if (port >= sw->caps.max_ports || !sw->exists[port])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: no such port", port);
	if (!sw->macsec && !(sw->macsec = calloc(sw->caps.max_ports, sizeof(*sw->macsec))))
		return LB_E_NOMEM;
	struct lb_macsec_port *m = &sw->macsec[port];
	if (!m->loaded) {
		struct lb_macsec_secy_config cfg = LB_MACSEC_SECY_CONFIG_INIT;
		uint64_t sci[2] = { 0, 0 };
		uint32_t installed[2] = { 0, 0 }, tx_an = LB_MACSEC_AN_SC;
		uint64_t seq = lb_ctx_error_seq();
		int rc = sw->ops->macsec_get(sw->priv, port, &cfg, sci, installed, &tx_an);
		if (rc)
			return driver_failed(sw, seq, rc, "read", port);
		cfg.size = sizeof(cfg);
		m->secy = cfg;
		m->configured = cfg.sci != 0;
		for (int d = 0; d < 2; d++) {
			m->sci[d] = sci[d];
			m->installed[d] = installed[d] & 0xFu;
		}
		m->tx_an = tx_an;
		m->loaded = true;
	}
	*out = m;
	return LB_OK;
}

static int check_secy(struct lb_switch *sw, uint32_t port, const struct lb_macsec_port *m,
		      const struct lb_macsec_secy_config *c)
{
	if ((unsigned)c->cipher >= LB_MACSEC_CIPHER_COUNT)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: cipher %d unknown", port,
				    (int)c->cipher);
	if ((c->enable != 0 && c->enable != 1) || (c->encrypt != 0 && c->encrypt != 1) ||
	    (c->replay_protect != 0 && c->replay_protect != 1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: enable, encrypt and "
				    "replay_protect are 0 or 1", port);
	if (c->conf_offset != 0 && c->conf_offset != 30 && c->conf_offset != 50)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: macsec: confidentiality offset "
				    "%u: 0, 30 or 50 bytes", port, c->conf_offset);
	if (c->replay_window > LB_MACSEC_REPLAY_WINDOW_MAX)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: replay window %u above "
				    "2^30", port, c->replay_window);
	if (!c->sci)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: SCI 0: a SecY needs "
				    "its SCI", port);
	if (m->configured && (m->installed[0] || m->installed[1]) && c->cipher != m->secy.cipher)
		return lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: macsec: cipher change with SAs "
				    "installed: retire them first", port);
	if (m->sci[LB_MACSEC_TX] && c->sci != m->sci[LB_MACSEC_TX])
		return lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: macsec: SCI change while the "
				    "transmit SC exists: remove it first", port);
	return LB_OK;
}

LB_API int lb_macsec_secy_set(struct lb_switch *sw, uint32_t port, const struct lb_macsec_secy_config *cfg)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_macsec_secy_config want;
	if (LB_SIZED_READ(want, cfg, LB_MACSEC_SECY_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: SecY config NULL or its "
				    "size below %zu", port, (size_t)LB_MACSEC_SECY_CONFIG_SIZE_V1);
	if (!want.pn_warn_threshold)
		want.pn_warn_threshold = LB_MACSEC_DEFAULT_PN_WARN;
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = lb_macsec_port(sw, port, &m);
	if (rc == LB_OK && (rc = check_secy(sw, port, m, &want)) == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->macsec_secy_apply(sw->priv, port, &want)))
			driver_failed(sw, seq, rc, "SecY", port);
		else {
			m->secy = want;
			m->configured = true;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_macsec_secy_get(struct lb_switch *sw, uint32_t port, struct lb_macsec_secy_config *cfg)
{
	if (!sw || lb_sized_check(cfg, LB_MACSEC_SECY_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = lb_asic_fresh(sw, true); /* answered from the view: the chip still holds it? */
	if (rc == LB_OK)
		rc = lb_macsec_port(sw, port, &m);
	if (rc == LB_OK) {
		struct lb_macsec_secy_config c = m->secy;
		c.size = sizeof(c);
		LB_SIZED_FILL(cfg, c);
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

static int check_dir(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir)
{
	if (dir != LB_MACSEC_TX && dir != LB_MACSEC_RX)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: direction %d unknown",
				    port, (int)dir);
	return LB_OK;
}

LB_API int lb_macsec_sc_create(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir, uint64_t sci)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = check_dir(sw, port, dir);
	if (rc == LB_OK)
		rc = lb_macsec_port(sw, port, &m);
	if (rc == LB_OK) {
		if (!m->configured)
			rc = lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: macsec: no SecY: set it "
					  "first", port);
		else if (m->sci[dir])
			rc = lb_ctx_error(sw->ctx, LB_E_EXISTS, "asic port %u: macsec: the %s SC exists",
					  port, dir_names[dir]);
		else if (dir == LB_MACSEC_TX && sci && sci != m->secy.sci)
			rc = lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: the transmit SC "
					  "takes the SecY's SCI %016llx", port,
					  (unsigned long long)m->secy.sci);
		else if (dir == LB_MACSEC_RX && !sci)
			rc = lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: the receive SC "
					  "needs the peer's SCI", port);
		if (rc == LB_OK) {
			uint64_t s = dir == LB_MACSEC_TX ? m->secy.sci : sci;
			uint64_t seq = lb_ctx_error_seq();
			if ((rc = sw->ops->macsec_sc_apply(sw->priv, port, (int)dir, s, 1)))
				driver_failed(sw, seq, rc, "SC create", port);
			else
				m->sci[dir] = s;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* The SC of dir exists, or the detail. Switch locked. */
static int find_sc(struct lb_switch *sw, uint32_t port, const struct lb_macsec_port *m, enum lb_macsec_dir dir)
{
	if (!m->sci[dir])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: macsec: no %s SC", port,
				    dir_names[dir]);
	return LB_OK;
}

LB_API int lb_macsec_sc_remove(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = check_dir(sw, port, dir);
	if (rc == LB_OK && (rc = lb_macsec_port(sw, port, &m)) == LB_OK &&
	    (rc = find_sc(sw, port, m, dir)) == LB_OK) {
		if (m->installed[dir])
			rc = lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: macsec: the %s SC has SAs: "
					  "retire them first", port, dir_names[dir]);
		else {
			uint64_t seq = lb_ctx_error_seq();
			if ((rc = sw->ops->macsec_sc_apply(sw->priv, port, (int)dir, 0, 0)))
				driver_failed(sw, seq, rc, "SC remove", port);
			else
				m->sci[dir] = 0;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_macsec_sc_get(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir, uint64_t *sci)
{
	if (!sw || !sci)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = lb_asic_fresh(sw, true); /* answered from the view: the chip still holds it? */
	if (rc == LB_OK)
		rc = check_dir(sw, port, dir);
	if (rc == LB_OK && (rc = lb_macsec_port(sw, port, &m)) == LB_OK &&
	    (rc = find_sc(sw, port, m, dir)) == LB_OK)
		*sci = m->sci[dir];
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

int lb_macsec_sa_install_locked(struct lb_switch *sw, uint32_t port, struct lb_macsec_port *m,
				enum lb_macsec_dir dir, const struct lb_macsec_sa_config *c,
				const struct lb_macsec_key *key)
{
	int rc;
	if ((rc = find_sc(sw, port, m, dir)))
		return rc;
	if (c->an >= LB_MACSEC_AN_COUNT)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: AN %u: 0 to 3", port, c->an);
	size_t want = lb_macsec_key_len(m->secy.cipher);
	if (!key || key->len != want)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: %s SA %u: the key must be "
				    "%zu bytes for %s", port, dir_names[dir], c->an, want,
				    lb_macsec_cipher_name(m->secy.cipher));
	uint64_t max = lb_macsec_pn_max(m->secy.cipher);
	if (!c->pn || c->pn > max)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: macsec: %s SA %u: PN %llu: 1 to "
				    "%llu for %s", port, dir_names[dir], c->an, (unsigned long long)c->pn,
				    (unsigned long long)max, lb_macsec_cipher_name(m->secy.cipher));
	if (m->installed[dir] & (1u << c->an))
		return lb_ctx_error(sw->ctx, LB_E_EXISTS, "asic port %u: macsec: %s SA %u is installed: "
				    "retire it first", port, dir_names[dir], c->an);
	uint64_t seq = lb_ctx_error_seq();
	if ((rc = sw->ops->macsec_sa_install(sw->priv, port, (int)dir, c, key)))
		return driver_failed(sw, seq, rc, "SA install", port);
	m->installed[dir] |= 1u << c->an;
	if (dir == LB_MACSEC_TX)
		m->warned &= ~(1u << c->an);
	if (dir == LB_MACSEC_TX && m->tx_an == LB_MACSEC_AN_SC)
		m->tx_an = c->an; /* the first transmit SA is used at once */
	return LB_OK;
}

LB_API int lb_macsec_sa_install(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir,
				const struct lb_macsec_sa_config *cfg, const struct lb_macsec_key *key)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_macsec_sa_config c;
	if (LB_SIZED_READ(c, cfg, LB_MACSEC_SA_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: SA config NULL or its size "
				    "below %zu", port, (size_t)LB_MACSEC_SA_CONFIG_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = check_dir(sw, port, dir);
	if (rc == LB_OK && (rc = lb_macsec_port(sw, port, &m)) == LB_OK)
		rc = lb_macsec_sa_install_locked(sw, port, m, dir, &c, key);
	pthread_mutex_unlock(&sw->lock);
	explicit_bzero(c.salt, sizeof(c.salt));
	return rc;
}

int lb_macsec_sa_retire_locked(struct lb_switch *sw, uint32_t port, struct lb_macsec_port *m,
			       enum lb_macsec_dir dir, uint32_t an)
{
	int rc;
	if ((rc = find_sc(sw, port, m, dir)))
		return rc;
	if (an >= LB_MACSEC_AN_COUNT || !(m->installed[dir] & (1u << an)))
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: macsec: no %s SA %u", port,
				    dir_names[dir], an);
	if (dir == LB_MACSEC_TX && m->tx_an == an && (m->installed[dir] & ~(1u << an)))
		return lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: macsec: tx SA %u is in use: switch "
				    "transmit to another SA first", port, an);
	uint64_t seq = lb_ctx_error_seq();
	if ((rc = sw->ops->macsec_sa_retire(sw->priv, port, (int)dir, an)))
		return driver_failed(sw, seq, rc, "SA retire", port);
	m->installed[dir] &= ~(1u << an);
	if (dir == LB_MACSEC_TX && m->tx_an == an)
		m->tx_an = LB_MACSEC_AN_SC;
	return LB_OK;
}

LB_API int lb_macsec_sa_retire(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir, uint32_t an)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = check_dir(sw, port, dir);
	if (rc == LB_OK && (rc = lb_macsec_port(sw, port, &m)) == LB_OK)
		rc = lb_macsec_sa_retire_locked(sw, port, m, dir, an);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

int lb_macsec_tx_activate_locked(struct lb_switch *sw, uint32_t port, struct lb_macsec_port *m, uint32_t an)
{
	int rc;
	if ((rc = find_sc(sw, port, m, LB_MACSEC_TX)))
		return rc;
	if (an >= LB_MACSEC_AN_COUNT || !(m->installed[LB_MACSEC_TX] & (1u << an)))
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: macsec: no tx SA %u", port, an);
	uint64_t seq = lb_ctx_error_seq();
	if ((rc = sw->ops->macsec_tx_sa_activate(sw->priv, port, an)))
		return driver_failed(sw, seq, rc, "tx SA switch", port);
	m->tx_an = an;
	return LB_OK;
}

LB_API int lb_macsec_tx_sa_activate(struct lb_switch *sw, uint32_t port, uint32_t an)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = lb_macsec_port(sw, port, &m);
	if (rc == LB_OK)
		rc = lb_macsec_tx_activate_locked(sw, port, m, an);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* Read an SA (an < 4) or an SC (LB_MACSEC_AN_SC: its SAs summed with its own counters). */
static int read_locked(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir, uint32_t an,
		       struct lb_macsec_sa_status *st, struct lb_macsec_counters *c)
{
	struct lb_macsec_port *m;
	int rc = check_dir(sw, port, dir);
	if (rc || (rc = lb_macsec_port(sw, port, &m)) || (rc = find_sc(sw, port, m, dir)))
		return rc;
	uint64_t seq = lb_ctx_error_seq();
	if (an != LB_MACSEC_AN_SC) {
		if (an >= LB_MACSEC_AN_COUNT || !(m->installed[dir] & (1u << an)))
			return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: macsec: no %s SA %u",
					    port, dir_names[dir], an);
		if ((rc = sw->ops->macsec_read(sw->priv, port, (int)dir, an, st, c)))
			return driver_failed(sw, seq, rc, "SA read", port);
		if (st && dir == LB_MACSEC_TX && st->pn_warning && !(m->warned & (1u << an))) {
			/* the event: once per SA, as its status first shows it */
			m->warned |= 1u << an;
			lb_log(sw->ctx, LB_LOG_WARN, "asic port %u: macsec: tx SA %u: %llu PNs left (warning "
			       "below %llu): roll the key over", port, an, (unsigned long long)st->pn_left,
			       (unsigned long long)m->secy.pn_warn_threshold);
		}
		return LB_OK;
	}
	struct lb_macsec_counters sum = LB_MACSEC_COUNTERS_INIT;
	if ((rc = sw->ops->macsec_read(sw->priv, port, (int)dir, LB_MACSEC_AN_SC, NULL, &sum)))
		return driver_failed(sw, seq, rc, "SC read", port);
	for (uint32_t a = 0; a < LB_MACSEC_AN_COUNT; a++) {
		if (!(m->installed[dir] & (1u << a)))
			continue;
		struct lb_macsec_counters one = LB_MACSEC_COUNTERS_INIT;
		if ((rc = sw->ops->macsec_read(sw->priv, port, (int)dir, a, NULL, &one)))
			return driver_failed(sw, seq, rc, "SA read", port);
		lb_macsec_counters_add(&sum, &one);
	}
	*c = sum;
	return LB_OK;
}

LB_API int lb_macsec_sa_get_status(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir,
				   uint32_t an, struct lb_macsec_sa_status *st)
{
	if (!sw || lb_sized_check(st, LB_MACSEC_SA_STATUS_SIZE_V1) || an == LB_MACSEC_AN_SC)
		return LB_E_INVAL;
	struct lb_macsec_sa_status full = LB_MACSEC_SA_STATUS_INIT;
	pthread_mutex_lock(&sw->lock);
	int rc = read_locked(sw, port, dir, an, &full, NULL);
	pthread_mutex_unlock(&sw->lock);
	if (rc == LB_OK) {
		full.size = sizeof(full);
		LB_SIZED_FILL(st, full);
	}
	return rc;
}

LB_API int lb_macsec_counters_read(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir,
				   uint32_t an, struct lb_macsec_counters *c)
{
	if (!sw || lb_sized_check(c, LB_MACSEC_COUNTERS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_macsec_counters full = LB_MACSEC_COUNTERS_INIT;
	pthread_mutex_lock(&sw->lock);
	int rc = read_locked(sw, port, dir, an, NULL, &full);
	pthread_mutex_unlock(&sw->lock);
	if (rc == LB_OK) {
		full.size = sizeof(full);
		LB_SIZED_FILL(c, full);
	}
	return rc;
}
