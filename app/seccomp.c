/*
 * seccomp: the system calls the portal's workers need beyond Kore's own
 * allowlist, which predates glibc 2.33 (ARCHITECTURE.md, Kore). Found by running
 * every route with `seccomp_tracing yes` (never in a committed config).
 */
#include <sys/syscall.h>

#include <errno.h>
#include <stddef.h>

#include <kore/kore.h>
#include <kore/seccomp.h>

#include "report_task.h"

void	kore_seccomp_hook(void);

#if defined(__SANITIZE_ADDRESS__)
/*
 * The AddressSanitizer build only (build/portal-asan.so, which the limits
 * test runs): its runtime reads a new task thread's CPU affinity.
 */
#define PORTAL_SECCOMP_ASAN	KORE_SYSCALL_ALLOW(sched_getaffinity),
#else
#define PORTAL_SECCOMP_ASAN
#endif

KORE_SECCOMP_FILTER("portal",
	/* libpq, fstat(), localtime(), reading the assets at start-up */
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(getdents64),
	/* libpq over TCP (GSS probing) and host=localhost */
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(sendmsg),
	KORE_SYSCALL_ALLOW(recvmsg),
	/* Kore tasks: glibc falls back to clone() when clone3 is denied */
	KORE_SYSCALL_DENY(clone3, ENOSYS),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(gettid),
	/* request bodies offloaded to disk */
	KORE_SYSCALL_ALLOW(ftruncate),
	KORE_SYSCALL_ALLOW(fsync),
	KORE_SYSCALL_ALLOW(unlinkat),
	/* a report's gathering thread lowers its own priority, only that */
	KORE_SYSCALL_ALLOW_ARG(setpriority, 2, REPORT_TASK_NICE),
	PORTAL_SECCOMP_ASAN
	/* realloc() of large blocks (reports, history imports) */
	KORE_SYSCALL_ALLOW(mremap)
);
