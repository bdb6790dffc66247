/* SPDX-License-Identifier: MIT */
/*
 * fuzz_link: bytes as a line-mode table (lb_line_modes_load) and as a path file
 * (lb_link_path_load). Every mode that loads is evaluated on the tree's Tokyo-Osaka path, and
 * a path that loads is evaluated with every mode of the tree's table, at the path's launch
 * and at the optimum. A result that claims LB_OK must hold finite numbers only.
 */
#include <string.h>
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct lb_link_result *r)
{
	const double v[] = {
		r->launch_dbm, r->length_km, r->osnr_ase_db, r->osnr_nli_db, r->osnr_db,
		r->penalty_cd_db, r->penalty_dgd_db, r->penalty_pdl_db, r->penalty_rx_db,
		r->penalty_db, r->margin_db, r->snr_db, r->esnr_db, r->snr_dec_db, r->pre_fec_ber,
		r->q_db, r->post_fec_ber, r->uncorrectable_frames_per_s, r->cd_ps_nm,
		r->dgd_mean_ps, r->dgd_ps, r->rx_power_dbm, r->latency_one_way_ms,
		r->net_rate_gbps, r->power_per_bit_pj, r->system_margin_db, r->launch_max_dbm,
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!fuzz_finite(v[i])) {
			fprintf(stderr, "lb_link_result field #%zu is %g\n", i, v[i]);
			abort();
		}
}

static void evaluate(const struct lb_link_path *path, const struct lb_line_mode *mode)
{
	static const enum lb_link_launch launch[] = { LB_LINK_LAUNCH_PATH, LB_LINK_LAUNCH_OPTIMAL };
	for (unsigned i = 0; i < 2; i++) {
		struct lb_link_eval_opts o = { .launch = launch[i] };
		struct lb_link_result r = LB_LINK_RESULT_INIT;
		if (lb_link_evaluate(path, mode, &o, &r) == LB_OK)
			check(&r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_file f;
	static struct lb_line_modes ref_modes;
	static struct lb_link_path ref_path;
	static int ready;
	char err[256];
	if (!ready) {
		if (lb_line_modes_load(LB_SOURCE_DIR "/link/modes.json", &ref_modes, err,
				       sizeof(err)) ||
		    lb_link_path_load(LB_SOURCE_DIR "/link/paths/tokyo-osaka-500km.json",
				      &ref_path, err, sizeof(err)))
			abort();
		ready = 1;
	}
	fuzz_file_write(&f, "link", data, size);

	struct lb_line_modes modes;
	memset(&modes, 0xA5, sizeof(modes));
	int rc = lb_line_modes_load(f.path, &modes, err, sizeof(err));
	if (rc == LB_OK) {
		for (size_t i = 0; i < modes.count; i++)
			evaluate(&ref_path, &modes.modes[i]);
		lb_line_modes_free(&modes);
	} else if (rc > 0 || modes.count || modes.modes) {
		abort(); /* "out is left empty on failure" */
	}

	struct lb_link_path path;
	if (lb_link_path_load(f.path, &path, err, sizeof(err)) == LB_OK)
		for (size_t i = 0; i < ref_modes.count; i++)
			evaluate(&path, &ref_modes.modes[i]);
	return 0;
}
