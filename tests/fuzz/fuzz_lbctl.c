/* SPDX-License-Identifier: MIT */
/*
 * fuzz_lbctl: lbctl's argument handling, in-process. The input is a command line, one
 * argument per line (argv[0] "lbctl" is given); a line "==" starts another invocation, up to
 * three, run one after the other against the same emulated state (so "up 1" then "show 1"
 * reads what the first one saved). Each runs lbctl_main (tools/lbctl/main.c) on the
 * embedded default platform, or a platform file of the harness, with a private state
 * directory ($LB_STATE_DIR) emptied before every input, printing to /dev/null
 * (FUZZ_LBCTL_VERBOSE=1: to stdout and stderr, with each exit code).
 *
 * The fuzzer never names a file: an argument with a '/' or starting with "..", the
 * command `detect` (which looks at the machine's adapters) and the command `watch` (which
 * polls until it is stopped, or --count polls: up to a billion) are refused (the input is not
 * kept). Files of the harness's private directory are named by placeholders, anywhere in an
 * argument: @img (a text image), @bin (a raw image), @path (a fibre path), @modes (a
 * line-mode table), @emu (a two-cage emulated platform), @bad (a file that is no JSON).
 *
 * What must hold: no crash, leak or hang, and an exit code of docs/lbctl.md (0-6).
 */
#include <dirent.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include "tests/fuzz/fuzz_common.h"
#include "tools/lbctl/lbctl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 24
#define MAX_ARG_LEN 200
#define MAX_RUNS 3

static char dir[256];
static char state_dir[300];
static FILE *run_out, *run_err; /* /dev/null; stdout and stderr with FUZZ_LBCTL_VERBOSE set */

static const char emu_platform[] =
	"{\"name\": \"fuzz-2\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"emulator\", \"options\": "
	"{\"mux_addr\": 112, \"modules\": [{\"channel\": 0, \"profile\": \"coherent-800g-qsfpdd\"}, "
	"{\"channel\": 1, \"profile\": \"400g-fr4-qsfpdd\"}]}}], \"ports\": ["
	"{\"port\": 1, \"name\": \"Ethernet0\", \"bus\": \"i2c0\", \"cage\": \"QSFP-DD\", "
	"\"mux_addr\": 112, \"mux_channel\": 0}, "
	"{\"port\": 2, \"name\": \"Ethernet8\", \"bus\": \"i2c0\", \"cage\": \"QSFP-DD\", "
	"\"mux_addr\": 112, \"mux_channel\": 1}]}\n";

static const struct {
	const char *tag, *file, *from; /* from: a file of the tree to copy, or NULL */
} files[] = {
	{ "@img", "img.txt", LB_SOURCE_DIR "/tests/fuzz/seeds/image/paged.txt" },
	{ "@bin", "img.bin", LB_SOURCE_DIR "/tests/fuzz/seeds/image/paged.bin" },
	{ "@path", "path.json", LB_SOURCE_DIR "/link/paths/tokyo-osaka-500km.json" },
	{ "@modes", "modes.json", LB_SOURCE_DIR "/link/modes.json" },
	{ "@emu", "emu.json", NULL },
	{ "@bad", "bad.json", NULL },
};
#define N_FILES (sizeof(files) / sizeof(files[0]))

static void put_file(const char *name, const char *from, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *out = fopen(p, "wb");
	if (!out)
		abort();
	if (from) {
		FILE *in = fopen(from, "rb");
		if (!in)
			abort();
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, n, out) != n)
				abort();
		fclose(in);
	} else if (fputs(text, out) < 0) {
		abort();
	}
	if (fclose(out))
		abort();
}

/* rm -r of path's contents (and path itself when self), a few levels deep at most. */
static void remove_tree(const char *path, int self, int depth)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char p[512];
			snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 4)
				remove_tree(p, 1, depth + 1);
			else
				unlink(p);
		}
		closedir(d);
	}
	if (self)
		rmdir(path);
}

static void cleanup(void)
{
	if (dir[0])
		remove_tree(dir, 1, 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR"); /* tools/fuzz.sh gives each target its own */
	snprintf(dir, sizeof(dir), "%s/fuzz_lbctl.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	for (size_t i = 0; i < N_FILES; i++)
		put_file(files[i].file, files[i].from, i == 4 ? emu_platform : "{\"buses\": [\n");
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	/* lbctl reads these: its state, data and plugin directories, and its debug switch. */
	setenv("LB_STATE_DIR", state_dir, 1);
	setenv("LB_DATADIR", LB_SOURCE_DIR, 1);
	unsetenv("LB_PLUGIN_DIR");
	unsetenv("LBCTL_DEBUG");
	opterr = 0; /* getopt's own messages go to the real stderr: not wanted here */
	if (getenv("FUZZ_LBCTL_VERBOSE")) {
		run_out = stdout;
		run_err = stderr;
	} else if (!(run_out = run_err = fopen("/dev/null", "w"))) {
		abort();
	}
	return 0;
}

/* An argument with its placeholders replaced; NULL when it is refused. */
static char *expand(const char *arg)
{
	if (strchr(arg, '/') || !strncmp(arg, "..", 2) || !strcmp(arg, "detect") ||
	    !strcmp(arg, "watch"))
		return NULL;
	char out[MAX_ARG_LEN + 8 * 128];
	size_t n = 0;
	for (const char *s = arg; *s;) {
		size_t i = 0;
		if (*s == '@')
			for (; i < N_FILES; i++)
				if (!strncmp(s, files[i].tag, strlen(files[i].tag)))
					break;
		if (*s == '@' && i < N_FILES) {
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s/%s", dir, files[i].file);
			s += strlen(files[i].tag);
		} else {
			out[n++] = *s++;
		}
		if (n >= sizeof(out) - 128)
			return NULL;
	}
	out[n] = '\0';
	return strdup(out);
}

static void run(char **args, int n)
{
	char *argv[MAX_ARGS + 2];
	argv[0] = (char *)"lbctl";
	for (int i = 0; i < n; i++)
		argv[i + 1] = args[i];
	argv[n + 1] = NULL;
	int ex = lbctl_main(n + 1, argv, run_out, run_err);
	if (run_out == stdout)
		printf("== exit %d\n", ex);
	if (ex < LBCTL_EXIT_OK || ex > LBCTL_EXIT_REFUSED) {
		fprintf(stderr, "lbctl_main: exit code %d\n", ex);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096 || memchr(data, 0, size))
		return -1;
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	/* Split into invocations and arguments; refuse what the harness does not run. */
	char *args[MAX_RUNS][MAX_ARGS];
	int nargs[MAX_RUNS] = { 0 }, runs = 1, refused = 0;
	for (char *line = text, *next; line && *line && !refused; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strcmp(line, "==")) {
			if (runs == MAX_RUNS)
				break;
			runs++;
			continue;
		}
		int r = runs - 1;
		if (nargs[r] == MAX_ARGS || strlen(line) > MAX_ARG_LEN) {
			refused = 1;
			break;
		}
		char *a = expand(line);
		if (!a)
			refused = 1;
		else
			args[r][nargs[r]++] = a;
	}
	if (!refused) {
		remove_tree(state_dir, 1, 0); /* every input starts from power-on */
		for (int r = 0; r < runs; r++)
			run(args[r], nargs[r]);
	}
	for (int r = 0; r < runs; r++)
		for (int i = 0; i < nargs[r]; i++)
			free(args[r][i]);
	free(text);
	return refused ? -1 : 0;
}
