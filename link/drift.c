/* SPDX-License-Identifier: MIT */
/*
 * Instantaneous DGD as a Maxwellian process in virtual time (optics-physics.md §6): the
 * three Stokes components of the PMD vector are independent Ornstein-Uhlenbeck processes
 * with variance σ² = π·m²/8, so |Ω| is Maxwell distributed with mean m at every instant.
 * The transition over any step dt is exact: x' = a·x + σ·√(1 − a²)·z with a = e^(−dt/τ).
 */
#include <math.h>
#include <string.h>
#include "link_internal.h"

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1), never 0 or 1. */
static double uniform(uint64_t *s)
{
	return ((double)(splitmix64(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Standard normal (Box-Muller, one value per call: simple and reproducible). */
static double normal(uint64_t *s)
{
	double u1 = uniform(s), u2 = uniform(s);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static double sigma_of(double mean_ps)
{
	return mean_ps * sqrt(M_PI / 8.0);
}

static double norm3(const double v[3])
{
	return sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

LB_API int lb_link_dgd_drift_init(struct lb_link_dgd_drift *d, double mean_ps, double corr_time_s,
				  uint64_t seed, uint64_t t0_ns)
{
	if (!d || !isfinite(mean_ps) || !isfinite(corr_time_s))
		return LB_E_INVAL;
	if (mean_ps < 0.0 || mean_ps > 1000.0 || corr_time_s > 1e9)
		return LB_E_RANGE;
	memset(d, 0, sizeof(*d));
	d->mean_ps = mean_ps;
	d->corr_time_s = corr_time_s > 0.0 ? corr_time_s : LB_LINK_DEFAULT_CORR_TIME_S;
	d->rng = seed;
	d->t_ns = t0_ns;
	double sigma = sigma_of(mean_ps);
	for (int i = 0; i < 3; i++)
		d->omega_ps[i] = sigma * normal(&d->rng);
	return LB_OK;
}

LB_API int lb_link_dgd_drift_advance(struct lb_link_dgd_drift *d, uint64_t now_ns, double *dgd_ps)
{
	if (!d || now_ns < d->t_ns || !(d->corr_time_s > 0.0))
		return LB_E_INVAL;
	if (now_ns > d->t_ns) {
		double dt_s = (double)(now_ns - d->t_ns) * 1e-9;
		double a = exp(-dt_s / d->corr_time_s);
		double s = sigma_of(d->mean_ps) * sqrt(1.0 - a * a);
		for (int i = 0; i < 3; i++)
			d->omega_ps[i] = a * d->omega_ps[i] + s * normal(&d->rng);
		d->t_ns = now_ns;
	}
	if (dgd_ps)
		*dgd_ps = norm3(d->omega_ps);
	return LB_OK;
}

LB_API double lb_link_dgd_drift_value(const struct lb_link_dgd_drift *d)
{
	return d ? norm3(d->omega_ps) : 0.0;
}

LB_API int lb_link_dgd_exceed_probability(double mean_ps, double dgd_ps, double *p)
{
	if (!p || !isfinite(mean_ps) || !isfinite(dgd_ps))
		return LB_E_INVAL;
	if (!(mean_ps > 0.0) || dgd_ps < 0.0)
		return LB_E_RANGE;
	double s = sigma_of(mean_ps);
	double x = dgd_ps / s;
	/* Maxwell tail: erfc(x/√2) + √(2/π)·x·e^(−x²/2). */
	*p = erfc(x / M_SQRT2) + sqrt(2.0 / M_PI) * x * exp(-x * x / 2.0);
	if (*p > 1.0)
		*p = 1.0;
	return LB_OK;
}
