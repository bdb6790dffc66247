/* SPDX-License-Identifier: MIT */
/* The lbctl program: everything but this is in lbctl_main (main.c), which a harness can call. */
#include "lbctl.h"

int main(int argc, char **argv)
{
	return lbctl_main(argc, argv, stdout, stderr);
}
